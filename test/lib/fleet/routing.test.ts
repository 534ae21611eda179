import { Routing } from '../../../lib/fleet/routing';

describe('Routing', () => {
  test('GIVEN each factory WHEN read THEN the spec names the router and keeps its options', () => {
    expect(Routing.replicas().spec).toEqual({ kind: 'replicas' });
    expect(Routing.gatewayApi({ gateway: { name: 'public' }, hostnames: ['a.example.com'] }).spec)
      .toEqual({ kind: 'gateway-api', gateway: { name: 'public' }, hostnames: ['a.example.com'] });
    expect(Routing.istio().spec).toEqual({ kind: 'istio' });
    expect(Routing.nginx({ host: 'a.example.com', ingressClassName: 'nginx' }).spec).toEqual({ kind: 'nginx', host: 'a.example.com', ingressClassName: 'nginx' });
  });
});
