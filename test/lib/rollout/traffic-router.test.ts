import * as kplus from 'cdk8s-plus-28';
import { DestinationRule, HttpRoute, TrafficRouter, VirtualService } from '../../../lib/rollout';
import { routedServices } from './routes';

describe('TrafficRouter', () => {
  test('GIVEN each router WHEN asked for trafficRouting THEN it names its object the way the controller reads it', () => {
    const { chart, stable, canary } = routedServices();
    const route = new HttpRoute(chart, 'Route', { metadata: { name: 'web' }, gateway: { name: 'g' }, stableService: stable, canaryService: canary, port: 80 });
    const rule = new DestinationRule(chart, 'Dr', { metadata: { name: 'web-dr' }, service: stable });
    const vs = new VirtualService(chart, 'Vs', { metadata: { name: 'web' }, hosts: ['web'], stableService: stable, canaryService: canary, destinationRule: rule, port: 80 });
    const ingress = new kplus.Ingress(chart, 'Ingress', { metadata: { name: 'web' } });
    // The in-progress label is off: the Application ignores the weights unconditionally (plugin issue #208).
    expect(TrafficRouter.gatewayApi(route)._toTrafficRouting()).toEqual({ plugins: { 'argoproj-labs/gatewayAPI': { httpRoute: 'web', disableInProgressLabel: true } } });
    expect(TrafficRouter.istio(vs)._toTrafficRouting()).toEqual({ istio: {
      virtualService: { name: 'web', routes: ['primary'] },
      destinationRule: { name: 'web-dr', stableSubsetName: 'stable', canarySubsetName: 'canary' },
    } });
    expect(TrafficRouter.nginx(ingress)._toTrafficRouting()).toEqual({ nginx: { stableIngress: 'web' } });
  });

  test('GIVEN each router WHEN asked what the controller writes THEN Argo CD is told to ignore exactly those fields', () => {
    const { chart, stable, canary } = routedServices();
    const rule = new DestinationRule(chart, 'Dr', { metadata: { name: 'web-dr' }, service: stable });
    const vs = new VirtualService(chart, 'Vs', { metadata: { name: 'web' }, hosts: ['web'], stableService: stable, canaryService: canary, destinationRule: rule, port: 80 });
    expect(TrafficRouter.istio(vs).controllerOwnedFields(false)).toEqual([
      { group: 'networking.istio.io', kind: 'VirtualService', name: 'web', jsonPointers: ['/spec/http/0/route/0/weight', '/spec/http/0/route/1/weight'] },
      { group: 'networking.istio.io', kind: 'DestinationRule', name: 'web-dr', jsonPointers: ['/spec/subsets'] },
    ]);
    expect(TrafficRouter.istio(vs).controllerOwnedFields(true)[0].jsonPointers).toEqual(['/spec/http']);
    expect(TrafficRouter.nginx(new kplus.Ingress(chart, 'Ingress')).controllerOwnedFields(false)).toEqual([]);
  });

  test('GIVEN a stable Ingress routing to another Service WHEN checked THEN the problem names the Service', () => {
    const { chart, stable, canary } = routedServices();
    const ingress = new kplus.Ingress(chart, 'Ingress', { metadata: { name: 'web' } });
    ingress.addHostRule('shop.example.com', '/', kplus.IngressBackend.fromService(canary, { port: 80 }));
    expect(TrafficRouter.nginx(ingress).problems(chart, { stable, canary })).toEqual([
      "test: 'trafficRouting.stableIngress' is 'web-canary': routes to another service than the strategy's stableService 'web-stable'; point every path of the stable ingress at the stable service",
    ]);
  });
});
