import { App, Duration, Testing } from 'cdk8s';
import { ServiceChart } from '../../charts/service-chart';
import { loadPins } from '../../delivery/pins';
import { validationProblems } from '../../lib/errors';
import { OutputFolder } from '../../lib/output';
import { IstioDataPlane, Routing } from '../../lib/patterns';
import { Fleet, ServiceDeployment } from '../../model';
import { FIXTURE_DEFINITION, fleet } from '../fixtures/fleet';
import { FIXTURE_ROOT } from '../helpers';

function deploymentOf(environment: string, service: string, of = fleet): ServiceDeployment {
  return of.deployments(loadPins(of, FIXTURE_ROOT)).find(d => d.environment.name === environment && d.service.name === service)!;
}

function chartFor(environment: string, service: string, of = fleet) {
  const app = new App();
  const chart = new ServiceChart(app, `${environment}-${service}`, { fleet: of, deployment: deploymentOf(environment, service, of) });
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

  test('GIVEN api in production on Istio in ambient mode WHEN synthesized THEN the analysis reads the waypoint\'s metrics', () => {
    // GIVEN the fixture fleet with api's production routing switched to ambient mode
    const [api, web] = FIXTURE_DEFINITION.services;
    const ambient = new Fleet({
      ...FIXTURE_DEFINITION,
      services: [{
        ...api,
        overrides: { ...api.overrides, production: { ...api.overrides?.production, routing: Routing.istio({ dataPlane: IstioDataPlane.AMBIENT }) } },
      }, web],
    });
    // WHEN its chart is synthesized
    const { app, byKind } = chartFor('production', 'api', ambient);
    // THEN the same VirtualService splits, and the comparison selects both Services as the waypoint reports them
    expect(validationProblems(app)).toEqual([]);
    expect(byKind('VirtualService')[0].spec.gateways).toEqual(['mesh']);
    const [metric] = byKind('AnalysisTemplate')[0].spec.metrics;
    expect(metric.provider.prometheus.query).toContain('istio_requests_total{reporter="waypoint",destination_service_namespace="{{args.namespace}}",destination_service_name="{{args.canary-service}}"}');
    expect(metric.provider.prometheus.query).toContain('istio_requests_total{reporter="waypoint",destination_service_namespace="{{args.namespace}}",destination_service_name="{{args.stable-service}}"}');
    expect(metric.provider.prometheus.query).not.toContain('reporter="source"');
    expect(chartFor('production', 'api').byKind('AnalysisTemplate')[0].spec.metrics[0].provider.prometheus.query).toContain('reporter="source"');
  });

  test('GIVEN the mesh scraped every 30 s in production WHEN synthesized THEN api\'s analysis is timed from the mesh\'s scrape, its PodMonitor from the app\'s', () => {
    // GIVEN the fixture fleet with production's mesh metrics scraped every 30 s
    const [production] = FIXTURE_DEFINITION.environments.slice(1);
    const slowMesh = new Fleet({
      ...FIXTURE_DEFINITION,
      environments: [
        FIXTURE_DEFINITION.environments[0],
        { ...production, defaults: { ...production.defaults, routerScrapeInterval: Duration.seconds(30) } },
      ],
    });
    // WHEN api's production chart is synthesized
    const { app, byKind } = chartFor('production', 'api', slowMesh);
    // THEN the first measurement waits two of those scrapes and 5 s, and the comparison steps by 30 s
    expect(validationProblems(app)).toEqual([]);
    const [metric] = byKind('AnalysisTemplate')[0].spec.metrics;
    expect(metric.initialDelay).toBe('65s');
    expect(metric.provider.prometheus.query).toContain('offset 30s');
    expect(byKind('PodMonitor')[0].spec.podMetricsEndpoints[0].interval).toBe('10s');
  });
});
