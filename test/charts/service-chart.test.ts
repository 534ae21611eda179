import { App, Testing } from 'cdk8s';
import { fleet } from '../../fleet';
import { ServiceChart } from '../../charts/service-chart';
import { ReleasePins } from '../../lib/fleet/release-pins';
import { validationProblems } from '../../lib/synth/render';
import { ROOT } from '../helpers';

function chartFor(environment: string, service: string) {
  const app = new App();
  const deployment = fleet.deployments(ReleasePins.load(ROOT, ['staging', 'production'])).find(d => d.environment.name === environment && d.service.name === service)!;
  const chart = new ServiceChart(app, `${environment}-${service}`, { fleet, deployment });
  return { app, objects: Testing.synth(chart) };
}

const byKind = (objects: any[], kind: string) => objects.filter(o => o.kind === kind);

describe('ServiceChart', () => {
  test('GIVEN api in production WHEN synthesized THEN it is a measured canary that never drops a request', () => {
    const { app, objects } = chartFor('production', 'api');
    expect(validationProblems(app)).toEqual([]);
    expect(objects.map(o => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'AnalysisTemplate/api-success-rate', 'HorizontalPodAutoscaler/api', 'PodDisruptionBudget/api',
      'Rollout/api', 'Service/api', 'Service/api-canary', 'Service/api-stable',
    ]);
    const [rollout] = byKind(objects, 'Rollout');
    expect(rollout.spec.replicas).toBeUndefined();
    expect(rollout.spec.strategy.canary.steps.filter((s: any) => 'setWeight' in s).map((s: any) => s.setWeight)).toEqual([10, 25, 50]);
    const [container] = rollout.spec.template.spec.containers;
    expect(container.readinessProbe.httpGet).toEqual({ path: '/healthz', port: 8000, scheme: 'HTTP' });
    expect(container.lifecycle.preStop.exec.command).toEqual(['sleep', '5']);
    expect(container.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container.image).toMatch(/@sha256:[0-9a-f]{64}$/);
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
});
