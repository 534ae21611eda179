import { Chart, Testing } from 'cdk8s';
import { validationProblems } from '../../../lib/errors';
import { CanaryService, IstioDataPlane, Routing } from '../../../lib/patterns';
import { ImageRef } from '../../../lib/workload';

/** A canary service `web` with `routing`, and the problems it reports. */
function build(routing: Routing, servicePort?: number) {
  const app = Testing.app();
  const chart = new Chart(app, 'test', { namespace: 'shop' });
  new CanaryService(chart, 'Web', { name: 'web', image: ImageRef.parse(`ghcr.io/acme/web@sha256:${'a'.repeat(64)}`, 'test'), port: 3000, servicePort, routing });
  return { app, chart, problems: validationProblems(app) };
}

/** A canary service `web` with `routing`: its router objects, Rollout and analysis query. */
function route(routing: Routing, servicePort?: number) {
  const { app, chart } = build(routing, servicePort);
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
    expect(query).toContain('istio_requests_total{reporter="source",destination_service_namespace="{{args.namespace}}",destination_service_name="{{args.canary-service}}"}');
    expect(objects.map(o => o.kind)).toEqual(['VirtualService']);
    expect(objects[0].spec.hosts).toEqual(['web']);
    expect(objects[0].spec.http[0].route.map((r: { destination: { host: string } }) => r.destination.host)).toEqual(['web-stable', 'web-canary']);
    expect(objects).toMatchSnapshot();
  });

  test('GIVEN Istio routing in ambient mode WHEN built THEN the same mesh VirtualService splits by host, measured by what the waypoint reports', () => {
    const sidecar = route(Routing.istio());
    const { problems, trafficRouting, query, objects } = route(Routing.istio({ dataPlane: IstioDataPlane.AMBIENT }));
    expect(problems).toEqual([]);
    // Argo Rollouts v1.9.1 reweights the VirtualService whichever proxy applies it; the waypoint applies those bound to 'mesh'.
    expect(trafficRouting).toEqual(sidecar.trafficRouting);
    expect(objects).toEqual(sidecar.objects);
    expect(objects[0].spec.gateways).toEqual(['mesh']);
    // No sidecar reports reporter="source"; the waypoint labels each request with the Service it routed to.
    expect(query).toContain('istio_requests_total{reporter="waypoint",destination_service_namespace="{{args.namespace}}",destination_service_name="{{args.canary-service}}"}');
    expect(query).toContain('istio_requests_total{reporter="waypoint",destination_service_namespace="{{args.namespace}}",destination_service_name="{{args.stable-service}}"}');
    expect(query).not.toContain('reporter="source"');
  });

  test('GIVEN ambient mode and a VirtualService bound to a gateway and the mesh WHEN built THEN the waypoint still splits the mesh traffic and nothing is refused', () => {
    const { problems, objects } = route(Routing.istio({ dataPlane: IstioDataPlane.AMBIENT, gateways: ['istio-system/public', 'mesh'] }));
    expect(problems).toEqual([]);
    expect(objects[0].spec.gateways).toEqual(['istio-system/public', 'mesh']);
  });

  test('GIVEN ambient mode and a VirtualService bound to gateways only WHEN built THEN one problem names the VirtualService, gateways and the fix', () => {
    // istio/istio pilot/pkg/model/sidecar.go, DefaultSidecarScopeForGateway: a waypoint reads the VirtualServices bound to 'mesh'.
    expect(build(Routing.istio({ dataPlane: IstioDataPlane.AMBIENT, gateways: ['istio-system/public'] })).problems).toEqual([
      "test/Web/VirtualService: 'gateways' is [\"istio-system/public\"]: leaves out 'mesh': in ambient mode the waypoint splits and reports the canary's requests, "
      + "and a waypoint applies only VirtualServices bound to 'mesh'; add 'mesh' to gateways, or leave dataPlane at IstioDataPlane.SIDECAR when only an Istio gateway "
      + 'splits the traffic (it reports as reporter="source")',
    ]);
    // With sidecars a gateway-only VirtualService is measured as the gateway reports it, as before.
    expect(build(Routing.istio({ dataPlane: IstioDataPlane.SIDECAR, gateways: ['istio-system/public'] })).problems).toEqual([]);
  });

  test('GIVEN ingress-nginx routing WHEN built THEN the stable Ingress routes the host to the stable Service, measured by nginx metrics', () => {
    const { problems, trafficRouting, query, objects } = route(Routing.nginx({ host: 'shop.example.com', ingressClassName: 'nginx' }));
    expect(problems).toEqual([]);
    expect(trafficRouting).toEqual({ nginx: { stableIngress: 'web' } });
    expect(query).toContain('nginx_ingress_controller_requests{exported_namespace="{{args.namespace}}",canary="{{args.namespace}}-{{args.canary-service}}-80"}');
    expect(objects[0].spec).toEqual({
      ingressClassName: 'nginx',
      rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web-stable', port: { number: 80 } } } }] } }],
    });
    expect(objects).toMatchSnapshot();
  });

  test('GIVEN ingress-nginx routing on service port 8080 WHEN built THEN the canary upstream selected is named by the port number the Ingress backend gives', () => {
    // ingress-nginx internal/ingress/controller/util.go, upstreamName: <namespace>-<service>-<port.number> when the backend numbers the port.
    const { problems, query, objects } = route(Routing.nginx({ host: 'shop.example.com' }), 8080);
    expect(problems).toEqual([]);
    const port = objects[0].spec.rules[0].http.paths[0].backend.service.port;
    expect(port).toEqual({ number: 8080 });
    expect(query).toContain(`canary="{{args.namespace}}-{{args.canary-service}}-${port.number}"`);
    expect(query).not.toContain('canary=~');
  });
});
