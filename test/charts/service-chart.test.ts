import { App, Testing } from 'cdk8s';
import { ServiceChart } from '../../charts/service-chart';
import { loadPins } from '../../delivery/pins';
import { validationProblems } from '../../lib/errors';
import { OutputFolder } from '../../lib/output';
import { ServiceDeployment } from '../../model';
import { fleet } from '../fixtures/fleet';
import { FIXTURE_ROOT } from '../helpers';

function deploymentOf(environment: string, service: string): ServiceDeployment {
  return fleet.deployments(loadPins(fleet, FIXTURE_ROOT)).find(d => d.environment.name === environment && d.service.name === service)!;
}

function chartFor(environment: string, service: string) {
  const app = new App();
  const chart = new ServiceChart(app, `${environment}-${service}`, { fleet, deployment: deploymentOf(environment, service) });
  const objects = Testing.synth(chart);
  return { app, chart, objects, byKind: (kind: string) => objects.filter(o => o.kind === kind) };
}

describe('ServiceChart', () => {
  test('GIVEN api in production WHEN synthesized THEN the fleet\'s settings reach the canary service, in the environment\'s namespace and folder', () => {
    const { app, chart, objects, byKind } = chartFor('production', 'api');
    expect(validationProblems(app)).toEqual([]);
    expect(OutputFolder.of(chart)).toEqual({ path: 'dist/production/api' });
    expect(objects.every(o => o.metadata.namespace === 'shop')).toBe(true);
    expect(objects.every(o => o.metadata.labels['app.kubernetes.io/part-of'] === 'shop' && o.metadata.labels['app.kubernetes.io/managed-by'] === 'cdk8s')).toBe(true);
    expect(objects.some(o => 'app.kubernetes.io/instance' in (o.metadata.labels ?? {}))).toBe(false);
    const [rollout] = byKind('Rollout');
    // Production: the environment's weights, the service's autoscaler and threshold, and its Istio routing.
    expect(rollout.spec.strategy.canary.steps.filter((s: object) => 'setWeight' in s).map((s: { setWeight: number }) => s.setWeight)).toEqual([10, 25, 50]);
    expect(byKind('HorizontalPodAutoscaler')[0].spec).toMatchObject({ minReplicas: 3, maxReplicas: 10 });
    // 3 steps × 5 measurements share the 1% budget; 0.995 sets the comparison's tolerance to 0.025 points.
    expect(byKind('AnalysisTemplate')[0].spec.metrics[0].successCondition).toContain('# <= 3.2088');
    expect(byKind('AnalysisTemplate')[0].spec.metrics[0].provider.prometheus.query).toContain('+ 0.00025)');
    expect(byKind('VirtualService')).toHaveLength(1);
    expect(rollout.spec.template.spec.containers[0].image).toBe(deploymentOf('production', 'api').image.toString());
    // Its canaries' verdicts reach the environment's notifications (charts/notifications-chart.ts).
    expect(Object.keys(rollout.metadata.annotations).filter(k => k.startsWith('notifications.argoproj.io/'))).toEqual([
      'notifications.argoproj.io/subscribe.on-rollout-aborted.infra-verdicts',
      'notifications.argoproj.io/subscribe.on-rollout-completed.infra-verdicts',
      'notifications.argoproj.io/subscribe.on-rollout-paused.infra-verdicts',
    ]);
    expect(objects).toMatchSnapshot();
  });

  test('GIVEN api in staging WHEN synthesized THEN the environment defaults apply and there is no autoscaler', () => {
    const { byKind } = chartFor('staging', 'api');
    expect(byKind('Rollout')[0].spec.replicas).toBe(2);
    expect(byKind('HorizontalPodAutoscaler')).toEqual([]);
    expect(byKind('AnalysisTemplate')[0].spec.metrics[0].count).toBe(3);
  });

  test('GIVEN web WHEN synthesized THEN its readiness path, port and latency bound reach the pattern', () => {
    const { byKind } = chartFor('production', 'web');
    const [container] = byKind('Rollout')[0].spec.template.spec.containers;
    expect(container.readinessProbe.httpGet).toEqual({ path: '/ready', port: 3000, scheme: 'HTTP' });
    expect(byKind('AnalysisTemplate')[0].spec.metrics.map((m: { name: string }) => m.name)).toEqual(['error-rate-vs-stable', 'latency-p99']);
    expect(byKind('HTTPRoute')[0].spec.hostnames).toEqual(['shop.example.com']);
  });
});
