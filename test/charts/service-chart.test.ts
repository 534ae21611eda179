import { App, Testing } from 'cdk8s';
import { fleet } from '../../fleet';
import { ServiceChart } from '../../charts/service-chart';
import { ServiceDeployment } from '../../lib/fleet/fleet';
import { ReleasePins } from '../../lib/fleet/release-pins';
import { Routing } from '../../lib/fleet/routing';
import { ResolvedServiceSettings } from '../../lib/fleet/service-settings';
import { validationProblems } from '../../lib/synth/render';
import { ROOT } from '../helpers';

function deploymentOf(environment: string, service: string): ServiceDeployment {
  return fleet.deployments(ReleasePins.load(ROOT, ['staging', 'production'])).find(d => d.environment.name === environment && d.service.name === service)!;
}

function chartFor(environment: string, service: string, settings: Partial<ResolvedServiceSettings> = {}) {
  const app = new App();
  const deployment = deploymentOf(environment, service);
  const chart = new ServiceChart(app, `${environment}-${service}`, { fleet, deployment: { ...deployment, settings: { ...deployment.settings, ...settings } } });
  return { app, chart, objects: Testing.synth(chart) };
}

const byKind = (objects: any[], kind: string) => objects.filter(o => o.kind === kind);

describe('ServiceChart', () => {
  test('GIVEN api in production WHEN synthesized THEN it is a measured canary that never drops a request', () => {
    const { app, objects } = chartFor('production', 'api');
    expect(validationProblems(app)).toEqual([]);
    expect(objects.map(o => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'AnalysisTemplate/api-canary', 'ConfigMap/api-config-3e8331a1ad', 'HorizontalPodAutoscaler/api', 'PodDisruptionBudget/api',
      'PodMonitor/api', 'Rollout/api', 'Service/api', 'Service/api-canary', 'Service/api-stable', 'VirtualService/api',
    ]);
    const [rollout] = byKind(objects, 'Rollout');
    expect(rollout.spec.strategy.canary.trafficRouting).toEqual({ istio: { virtualService: { name: 'api', routes: ['primary'] } } });
    // Istio measures the canary by its Service, so the analysis gets the canary Service's name.
    expect(rollout.spec.strategy.canary.steps[1].analysis.args[0]).toEqual({ name: 'canary-service', value: 'api-canary' });
    expect(byKind(objects, 'AnalysisTemplate')[0].spec.metrics[0].provider.prometheus.query).toContain('istio_requests_total');
    expect(rollout.spec.replicas).toBeUndefined();
    expect(rollout.spec.strategy.canary.steps.filter((s: any) => 'setWeight' in s).map((s: any) => s.setWeight)).toEqual([10, 25, 50]);
    const [container] = rollout.spec.template.spec.containers;
    expect(container.readinessProbe.httpGet).toEqual({ path: '/healthz', port: 8000, scheme: 'HTTP' });
    expect(container.lifecycle.preStop.exec.command).toEqual(['sleep', '5']);
    expect(container.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container.image).toMatch(/@sha256:[0-9a-f]{64}$/);
    expect(container.env).toEqual([
      { name: 'LOG_LEVEL', valueFrom: { configMapKeyRef: { name: 'api-config-3e8331a1ad', key: 'LOG_LEVEL' } } },
      { name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'api-database', key: 'url' } } },
    ]);
    expect(byKind(objects, 'ConfigMap')[0]).toMatchObject({ data: { LOG_LEVEL: 'info' }, immutable: true });
    expect(byKind(objects, 'PodDisruptionBudget')[0].spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': 'api' } } });
    expect(byKind(objects, 'AnalysisTemplate')[0].spec.metrics[0].successCondition).toContain('# >= 0.995');
    expect(objects.every(o => o.metadata.namespace === 'shop')).toBe(true);
    expect(objects.some(o => 'app.kubernetes.io/instance' in (o.metadata.labels ?? {}))).toBe(false);
    expect(objects).toMatchSnapshot();
  });

  test('GIVEN api in staging WHEN synthesized THEN the environment defaults apply and there is no autoscaler', () => {
    const { objects } = chartFor('staging', 'api');
    const [rollout] = byKind(objects, 'Rollout');
    expect(rollout.spec.replicas).toBe(2);
    expect(byKind(objects, 'HorizontalPodAutoscaler')).toEqual([]);
    expect(byKind(objects, 'AnalysisTemplate')[0].spec.metrics[0].count).toBe(3);
  });

  test('GIVEN the sync waves WHEN read THEN what the Rollout refers to comes before it, and the autoscaler after', () => {
    const { objects } = chartFor('production', 'api');
    const wave = (kind: string) => Number(byKind(objects, kind)[0].metadata.annotations['argocd.argoproj.io/sync-wave']);
    expect(wave('Service')).toBeLessThan(wave('Rollout'));
    expect(wave('AnalysisTemplate')).toBeLessThan(wave('Rollout'));
    expect(wave('HorizontalPodAutoscaler')).toBeGreaterThan(wave('Rollout'));
  });

  test('GIVEN web on Gateway API WHEN synthesized THEN an HTTPRoute splits traffic, and success rate and latency gate each step', () => {
    const { app, objects } = chartFor('production', 'web');
    expect(validationProblems(app)).toEqual([]);
    expect(byKind(objects, 'HTTPRoute')[0].spec.hostnames).toEqual(['shop.example.com']);
    const [template] = byKind(objects, 'AnalysisTemplate');
    expect(template.spec.metrics.map((m: any) => m.name)).toEqual(['success-rate', 'latency-p99']);
    expect(template.spec.metrics[1].successCondition).toContain('# <= 0.5');
    expect(byKind(objects, 'PodMonitor')[0].spec.podMetricsEndpoints[0].port).toBe('http');
    expect(byKind(objects, 'Rollout')[0].spec.template.spec.containers[0].ports).toEqual([{ containerPort: 3000, name: 'http' }]);
  });

  test('GIVEN ingress-nginx routing WHEN synthesized THEN the whole chart validates with the nginx metrics', () => {
    const { app, objects } = chartFor('production', 'web', { routing: Routing.nginx({ host: 'shop.example.com' }) });
    expect(validationProblems(app)).toEqual([]);
    expect(byKind(objects, 'Rollout')[0].spec.strategy.canary.trafficRouting).toEqual({ nginx: { stableIngress: 'web' } });
    expect(byKind(objects, 'AnalysisTemplate')[0].spec.metrics[0].provider.prometheus.query).toContain('nginx_ingress_controller_requests');
  });

  test('GIVEN a config change WHEN synthesized THEN the ConfigMap gets a new name, so the change rolls out as a canary', () => {
    const name = (config: Record<string, string>) => byKind(chartFor('staging', 'api', { config }).objects, 'ConfigMap')[0].metadata.name;
    expect(name({ LOG_LEVEL: 'info' })).toBe('api-config-3e8331a1ad');
    expect(name({ LOG_LEVEL: 'debug' })).not.toBe('api-config-3e8331a1ad');
    expect(byKind(chartFor('staging', 'api', { config: {} }).objects, 'ConfigMap')).toEqual([]);
  });

  test('GIVEN an invalid environment variable name WHEN constructed THEN it throws with the chart path and the rule', () => {
    expect(() => chartFor('staging', 'api', { config: { 'LOG-LEVEL': 'info' } }))
      .toThrow("staging-api: 'config.LOG-LEVEL' is 'LOG-LEVEL': is not a valid environment variable name; use letters, digits and underscores, starting with a letter or underscore");
  });
});
