import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { serviceRouting } from '../../charts/service-routing';
import { MetricSource } from '../../lib/analysis';
import { Routing } from '../../lib/fleet/routing';

function route(routing: Routing) {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
  const ports = [{ port: 80, targetPort: 3000 }];
  const stable = new kplus.Service(chart, 'Stable', { metadata: { name: 'web-stable' }, ports });
  const canary = new kplus.Service(chart, 'Canary', { metadata: { name: 'web-canary' }, ports });
  const result = serviceRouting(chart, routing.spec, { name: 'web', stable, canary, port: 80 });
  const objects = Testing.synth(chart).filter(o => o.kind !== 'Service');
  return { result, objects };
}

describe('serviceRouting', () => {
  test('GIVEN replica-based routing WHEN built THEN there is no router and app metrics measure the canary pods', () => {
    const { result, objects } = route(Routing.replicas());
    expect(result.router).toBeUndefined();
    expect(result.metricSource).toBe(MetricSource.APP);
    expect(objects).toEqual([]);
  });

  test('GIVEN Gateway API routing WHEN built THEN an HTTPRoute on the Gateway splits the two Services, measured by app metrics', () => {
    const { result, objects } = route(Routing.gatewayApi({ gateway: { name: 'public', namespace: 'gateway-system' }, hostnames: ['shop.example.com'] }));
    expect(result.metricSource).toBe(MetricSource.APP);
    expect(result.router!.toTrafficRouting()).toEqual({ plugins: { 'argoproj-labs/gatewayAPI': { httpRoute: 'web', disableInProgressLabel: true } } });
    expect(objects.map(o => o.kind)).toEqual(['HTTPRoute']);
    expect(objects[0].spec.hostnames).toEqual(['shop.example.com']);
    expect(objects).toMatchSnapshot();
  });

  test('GIVEN Istio routing WHEN built THEN a mesh VirtualService for the service name splits by host, measured by Istio metrics', () => {
    const { result, objects } = route(Routing.istio());
    expect(result.metricSource).toBe(MetricSource.ISTIO);
    expect(objects.map(o => o.kind)).toEqual(['VirtualService']);
    expect(objects[0].spec.hosts).toEqual(['web']);
    expect(objects[0].spec.http[0].route.map((r: any) => r.destination.host)).toEqual(['web-stable', 'web-canary']);
    expect(objects).toMatchSnapshot();
  });

  test('GIVEN ingress-nginx routing WHEN built THEN the stable Ingress routes the host to the stable Service, measured by nginx metrics', () => {
    const { result, objects } = route(Routing.nginx({ host: 'shop.example.com', ingressClassName: 'nginx' }));
    expect(result.metricSource).toBe(MetricSource.NGINX);
    expect(result.router!.toTrafficRouting()).toEqual({ nginx: { stableIngress: 'web' } });
    expect(objects[0].spec).toEqual({
      ingressClassName: 'nginx',
      rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web-stable', port: { number: 80 } } } }] } }],
    });
    expect(objects).toMatchSnapshot();
  });
});
