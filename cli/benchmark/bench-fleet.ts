import { createHash } from 'crypto';
import { Duration } from 'cdk8s';
import { Cluster } from '../../lib/argocd';
import { Language } from '../../lib/forgejo';
import { Routing } from '../../lib/patterns';
import { EnvironmentDefinition, Fleet, ReleasePins, ServiceDefinition } from '../../model';

/** A generated fleet and its pins. */
export interface BenchFleet {
  readonly fleet: Fleet;
  readonly pins: ReleasePins;
}

/** The routing styles the example fleet uses, plus ingress-nginx, taken in turn by the services. */
const ROUTINGS = [
  () => Routing.replicas(),
  () => Routing.gatewayApi({ gateway: { name: 'public', namespace: 'gateway-system' } }),
  () => Routing.istio(),
  () => Routing.nginx({ host: 'shop.example.com', ingressClassName: 'nginx' }),
];

/**
 * An N-service × E-environment fleet with the example fleet's mix of options: every routing style,
 * the success-rate preset everywhere and the latency preset on half, an autoscaler on a third,
 * config and secret references, environment defaults and per-environment overrides.
 */
export function benchFleet(services: number, environments: number): BenchFleet {
  const envs: EnvironmentDefinition[] = Array.from({ length: environments }, (_, e) => ({
    name: `env-${e}`,
    cluster: e === 0 ? Cluster.inCluster() : Cluster.named(`cluster-${e}`),
    namespace: `shop-${e}`,
    defaults: e === 0 ? { replicas: 2, analysisCount: 3 } : { canaryWeights: [10, 25, 50] },
  }));
  const definitions: ServiceDefinition[] = Array.from({ length: services }, (_, i) => {
    const name = `svc-${String(i).padStart(4, '0')}`;
    return {
      name,
      language: i % 2 ? Language.NODE : Language.PYTHON,
      imageRepository: `ghcr.io/acme/${name}`,
      port: 8000 + (i % 1000),
      settings: {
        routing: ROUTINGS[i % ROUTINGS.length](),
        maxLatency: i % 2 ? Duration.millis(500) : undefined,
        expectedRequestRate: 50,
        config: { LOG_LEVEL: 'info' },
        secretEnv: i % 3 ? undefined : { DATABASE_URL: { name: `${name}-database`, key: 'url' } },
      },
      overrides: { [envs[envs.length - 1].name]: { autoscaling: i % 3 ? undefined : { maxReplicas: 10 } } },
    };
  });
  const fleet = new Fleet({ name: 'bench', repoUrl: 'https://forgejo.example.com/platform/infra.git', environments: envs, services: definitions });
  const pins = Object.fromEntries(envs.map(env => [env.name, Object.fromEntries(definitions.map(s => [
    s.name,
    `${s.imageRepository}@sha256:${createHash('sha256').update(`${env.name}/${s.name}`).digest('hex')}`,
  ]))]));
  return { fleet, pins: ReleasePins.of(pins) };
}
