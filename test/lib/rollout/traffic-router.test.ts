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

  test('GIVEN the options of the upstream nginx docs WHEN rendered THEN trafficRouting.nginx matches the upstream snippet field by field', () => {
    // argo-rollouts v1.9.1 docs/features/traffic-management/nginx.md:
    //   trafficRouting:
    //     nginx:
    //       # Either stableIngress or stableIngresses must be configured, but not both.
    //       stableIngress: primary-ingress
    //       stableIngresses:
    //         - primary-ingress
    //         - secondary-ingress
    //         - tertiary-ingress
    //       annotationPrefix: customingress.nginx.ingress.kubernetes.io # optional
    //       additionalIngressAnnotations:   # optional
    //         canary-by-header: X-Canary
    //         canary-by-header-value: iwantsit
    //       canaryIngressAnnotations:     # optional
    //         my-custom-annotation.mygroup.com/key: value
    // The snippet shows both forms; as its comment says, one is written: the list.
    const { chart, stable, canary } = routedServices();
    const ingresses = ['primary-ingress', 'secondary-ingress', 'tertiary-ingress'].map(name => {
      const ingress = new kplus.Ingress(chart, name, { metadata: { name } });
      ingress.addHostRule(`${name}.example.com`, '/', kplus.IngressBackend.fromService(stable, { port: 80 }));
      return ingress;
    });
    const router = TrafficRouter.nginx(ingresses, {
      annotationPrefix: 'customingress.nginx.ingress.kubernetes.io',
      additionalIngressAnnotations: { 'canary-by-header': 'X-Canary', 'canary-by-header-value': 'iwantsit' },
      canaryIngressAnnotations: { 'my-custom-annotation.mygroup.com/key': 'value' },
    });
    expect(router.problems(chart, { stable, canary })).toEqual([]);
    expect(router._toTrafficRouting()).toEqual({ nginx: {
      stableIngresses: ['primary-ingress', 'secondary-ingress', 'tertiary-ingress'],
      annotationPrefix: 'customingress.nginx.ingress.kubernetes.io',
      additionalIngressAnnotations: { 'canary-by-header': 'X-Canary', 'canary-by-header-value': 'iwantsit' },
      canaryIngressAnnotations: { 'my-custom-annotation.mygroup.com/key': 'value' },
    } });
  });

  test('GIVEN nginx options the controller would overwrite or cannot write WHEN checked THEN each is a problem with the fix', () => {
    const { chart, stable, canary } = routedServices();
    const ingress = new kplus.Ingress(chart, 'Ingress', { metadata: { name: 'web' } });
    ingress.addHostRule('shop.example.com', '/', kplus.IngressBackend.fromService(stable, { port: 80 }));
    const router = TrafficRouter.nginx(ingress, {
      annotationPrefix: 'Not A Prefix',
      additionalIngressAnnotations: { 'canary-weight': '50', 'nginx.ingress.kubernetes.io/canary-by-cookie': 'beta' },
      canaryIngressAnnotations: { 'bad key!': 'x' },
    });
    expect(router.problems(chart, { stable, canary })).toEqual([
      "test: 'trafficRouting.nginx.annotationPrefix' is 'Not A Prefix': is not an annotation prefix (a dns subdomain); give the prefix the ingress-nginx controller reads, e.g. 'nginx.ingress.kubernetes.io'",
      "test: 'trafficRouting.nginx.additionalIngressAnnotations.canary-weight' is '50': is written by the controller at every step, which overwrites it; remove it; setWeight steps set the weight",
      "test: 'trafficRouting.nginx.additionalIngressAnnotations.nginx.ingress.kubernetes.io/canary-by-cookie' is 'beta': must be an annotation name without a prefix: the controller adds the annotation prefix; drop the prefix, or use canaryIngressAnnotations for a full annotation",
      "test: 'trafficRouting.nginx.canaryIngressAnnotations.bad key!' is 'x': is not a kubernetes annotation name; write it as <dns subdomain>/<name>, e.g. my-custom-annotation.mygroup.com/key",
    ]);
    expect(TrafficRouter.nginx([]).problems(chart, { stable, canary })).toEqual([
      "test: 'trafficRouting.stableIngresses' is []: needs at least one ingress; pass the ingress that routes to the stable service",
    ]);
  });
});
