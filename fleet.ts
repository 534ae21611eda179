import { Duration } from 'cdk8s';
import { Cluster } from './lib/argocd';
import { Language } from './lib/forgejo';
import { Routing } from './lib/patterns';
import { Fleet } from './model';

/**
 * The fleet: which services run in which environments, and how. Image digests are not here: CI pins
 * them in releases/<env>.json through `npm run release`, and `npm run promote` moves them on.
 */
export const fleet = new Fleet({
  name: 'shop',
  repoUrl: 'https://forgejo.example.com/platform/infra.git',
  environments: [
    {
      name: 'staging',
      cluster: Cluster.inCluster(),
      namespace: 'shop-staging',
      defaults: { replicas: 2 },
      verdictRequester: 'staging-rollouts-bot',
    },
    {
      name: 'production',
      cluster: Cluster.named('production'),
      namespace: 'shop',
      defaults: { canaryWeights: [10, 25, 50] },
      verdictRequester: 'production-rollouts-bot',
    },
  ],
  services: [
    {
      name: 'api',
      language: Language.PYTHON,
      imageRepository: 'ghcr.io/acme/api',
      port: 8000,
      // The bot user whose token (RELEASE_REQUEST_TOKEN) the api pipeline files release requests with.
      releaseRequester: 'api-release-bot',
      settings: {
        config: { LOG_LEVEL: 'info' },
        // The Secret comes from outside Git (External Secrets, Sealed Secrets); only the reference is here.
        secretEnv: { DATABASE_URL: { name: 'api-database', key: 'url' } },
      },
      overrides: {
        // Staging splits by replica count; production's mesh splits exact weights.
        staging: { expectedRequestRate: 2 },
        production: { autoscaling: { minReplicas: 3, maxReplicas: 10 }, minSuccessRate: 0.995, routing: Routing.istio(), expectedRequestRate: 150 },
      },
    },
    {
      name: 'web',
      language: Language.NODE,
      imageRepository: 'ghcr.io/acme/web',
      port: 3000,
      releaseRequester: 'web-release-bot',
      readinessPath: '/ready',
      settings: {
        maxLatency: Duration.millis(500),
        expectedRequestRate: 20,
        routing: Routing.gatewayApi({ gateway: { name: 'public', namespace: 'gateway-system' }, hostnames: ['staging.shop.example.com'] }),
      },
      overrides: {
        production: {
          routing: Routing.gatewayApi({ gateway: { name: 'public', namespace: 'gateway-system' }, hostnames: ['shop.example.com'] }),
          expectedRequestRate: 200,
        },
      },
    },
  ],
});
