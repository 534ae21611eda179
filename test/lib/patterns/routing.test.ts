import { Chart, Testing } from 'cdk8s';
import { validationProblems } from '../../../lib/errors';
import { CanaryService, Routing } from '../../../lib/patterns';
import { ImageRef } from '../../../lib/workload';

/** A canary service `web` with `routing`: its router objects, Rollout and analysis query. */
function route(routing: Routing) {
  const app = Testing.app();
  const chart = new Chart(app, 'test', { namespace: 'shop' });
  new CanaryService(chart, 'Web', { name: 'web', image: ImageRef.parse(`ghcr.io/acme/web@sha256:${'a'.repeat(64)}`, 'test'), port: 3000, routing });
  const all = Testing.synth(chart);
  const rollout = all.find(o => o.kind === 'Rollout');
  const query: string = all.find(o => o.kind === 'AnalysisTemplate').spec.metrics[0].provider.prometheus.query;
  const objects = all.filter(o => ['HTTPRoute', 'VirtualService', 'Ingress'].includes(o.kind));
  return { problems: validationProblems(app), trafficRouting: rollout.spec.strategy.canary.trafficRouting, query, objects };
}

describe('Routing', () => {
  test('GIVEN each factory WHEN named THEN the name is the one reports use', () => {
    expect([Routing.replicas(), Routing.gatewayApi({ gateway: { name: 'g' } }), Routing.istio(), Routing.nginx({ host: 'a.example.com' })].map(r => r.name))
      .toEqual(['replicas', 'gateway-api', 'istio', 'nginx']);
  });

  test('GIVEN replica-based routing WHEN built THEN there is no router and app metrics measure the canary pods', () => {
    const { problems, trafficRouting, query, objects } = route(Routing.replicas());
    expect(problems).toEqual([]);
    expect(trafficRouting).toBeUndefined();
    expect(query).toContain('rollouts_pod_template_hash="{{args.canary-hash}}"');
    expect(objects).toEqual([]);
  });

  test('GIVEN Gateway API routing WHEN built THEN an HTTPRoute on the Gateway splits the two Services, measured by app metrics', () => {
    const { problems, trafficRouting, query, objects } = route(Routing.gatewayApi({ gateway: { name: 'public', namespace: 'gateway-system' }, hostnames: ['shop.example.com'] }));
    expect(problems).toEqual([]);
    expect(trafficRouting).toEqual({ plugins: { 'argoproj-labs/gatewayAPI': { httpRoute: 'web', disableInProgressLabel: true } } });
    expect(query).toContain('rollouts_pod_template_hash="{{args.canary-hash}}"');
    expect(objects.map(o => o.kind)).toEqual(['HTTPRoute']);
    expect(objects[0].spec.hostnames).toEqual(['shop.example.com']);
    expect(objects).toMatchSnapshot();
  });

  test('GIVEN Istio routing WHEN built THEN a mesh VirtualService for the service name splits by host, measured by Istio metrics', () => {
    const { problems, trafficRouting, query, objects } = route(Routing.istio());
    expect(problems).toEqual([]);
    expect(trafficRouting).toEqual({ istio: { virtualService: { name: 'web', routes: ['primary'] } } });
    expect(query).toContain('istio_requests_total');
    expect(objects.map(o => o.kind)).toEqual(['VirtualService']);
    expect(objects[0].spec.hosts).toEqual(['web']);
    expect(objects[0].spec.http[0].route.map((r: { destination: { host: string } }) => r.destination.host)).toEqual(['web-stable', 'web-canary']);
    expect(objects).toMatchSnapshot();
  });

  test('GIVEN ingress-nginx routing WHEN built THEN the stable Ingress routes the host to the stable Service, measured by nginx metrics', () => {
    const { problems, trafficRouting, query, objects } = route(Routing.nginx({ host: 'shop.example.com', ingressClassName: 'nginx' }));
    expect(problems).toEqual([]);
    expect(trafficRouting).toEqual({ nginx: { stableIngress: 'web' } });
    expect(query).toContain('nginx_ingress_controller_requests');
    expect(objects[0].spec).toEqual({
      ingressClassName: 'nginx',
      rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web-stable', port: { number: 80 } } } }] } }],
    });
    expect(objects).toMatchSnapshot();
  });
});
