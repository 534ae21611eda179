import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { validationProblems } from '../../../lib/errors';
import { IstioGateway, VirtualService } from '../../../lib/rollout';
import { targetPortByName } from '../../../lib/workload';

describe('IstioGateway', () => {
  test('GIVEN the gateway, virtual service and services of the upstream istio getting-started WHEN synthesized THEN each matches its upstream file field by field', () => {
    // argo-rollouts v1.9.1 docs/getting-started/istio/gateway.yaml (spec):
    //   selector:
    //     istio: ingressgateway # use istio default controller
    //   servers:
    //   - port:
    //       number: 80
    //       name: http
    //       protocol: HTTP
    //     hosts:
    //     - "*"
    // docs/getting-started/istio/virtualsvc.yaml (spec):
    //   gateways:
    //   - rollouts-demo-gateway
    //   hosts:
    //   - rollouts-demo.local
    //   http:
    //   - name: primary
    //     route:
    //     - destination:
    //         host: rollouts-demo-stable
    //       weight: 100
    //     - destination:
    //         host: rollouts-demo-canary
    //       weight: 0
    // docs/getting-started/istio/services.yaml (spec of each):
    //   ports:
    //   - port: 80
    //     targetPort: http
    //     protocol: TCP
    //     name: http
    //   selector:
    //     app: rollouts-demo
    // The objects are written as networking.istio.io/v1, the version the pinned Istio CRDs store; the
    // getting-started files use v1alpha3, served with the same schema.
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    const gateway = new IstioGateway(chart, 'Gateway', { metadata: { name: 'rollouts-demo-gateway' }, servers: [{ port: 80, name: 'http', hosts: ['*'] }] });
    const [stable, canary] = ['rollouts-demo-stable', 'rollouts-demo-canary'].map(name => {
      const service = new kplus.Service(chart, name, { metadata: { name }, ports: [{ port: 80, targetPort: 8080, name: 'http', protocol: kplus.Protocol.TCP }], selector: kplus.Pods.select(chart, `${name}-pods`, { labels: { app: 'rollouts-demo' } }) });
      targetPortByName(service, 80, 'http');
      return service;
    });
    new VirtualService(chart, 'Vs', { metadata: { name: 'rollouts-demo-vsvc' }, gateways: [gateway], hosts: ['rollouts-demo.local'], stableService: stable, canaryService: canary });
    expect(validationProblems(app)).toEqual([]);
    const objects = Testing.synth(chart);
    expect(objects.find(o => o.kind === 'Gateway')).toEqual({
      apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'rollouts-demo-gateway' },
      spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }] },
    });
    expect(objects.find(o => o.kind === 'VirtualService').spec).toEqual({
      gateways: ['rollouts-demo-gateway'],
      hosts: ['rollouts-demo.local'],
      http: [{ name: 'primary', route: [{ destination: { host: 'rollouts-demo-stable' }, weight: 100 }, { destination: { host: 'rollouts-demo-canary' }, weight: 0 }] }],
    });
    // externalIPs: [] and type: ClusterIP are cdk8s-plus's own, the API server's defaults.
    for (const service of objects.filter(o => o.kind === 'Service')) {
      expect(service.spec).toEqual({ ports: [{ port: 80, targetPort: 'http', protocol: 'TCP', name: 'http' }], selector: { app: 'rollouts-demo' }, externalIPs: [], type: 'ClusterIP' });
    }
  });

  test('GIVEN a gateway without servers or hosts, and a bad port WHEN validated THEN each is a problem with the fix', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    new IstioGateway(chart, 'Empty', { servers: [] });
    new IstioGateway(chart, 'Bad', { servers: [{ port: 0, name: 'http', hosts: [] }] });
    expect(validationProblems(app)).toEqual([
      "test/Empty: 'servers' is []: a gateway needs at least one server; add a server, e.g. { port: 80, name: 'http', hosts: ['*'] }",
      "test/Bad: 'servers[0].hosts' is []: a server needs at least one host; give the hosts it serves, e.g. ['*']",
      "test/Bad: 'servers[0].port' is 0: must be a port number from 1 to 65535; use e.g. 80",
    ]);
  });
});
