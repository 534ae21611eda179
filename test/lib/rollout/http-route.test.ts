import { Testing } from 'cdk8s';
import { HttpRoute } from '../../../lib/rollout';
import { problemsAfter } from '../../helpers';
import { routedServices } from './routes';

describe('HttpRoute', () => {
  test('GIVEN a Gateway and hostnames WHEN synthesized THEN all traffic starts on the stable backend', () => {
    const { chart, stable, canary } = routedServices();
    new HttpRoute(chart, 'Route', { metadata: { name: 'web' }, gateway: { name: 'public', namespace: 'gateway-system' }, hostnames: ['shop.example.com', '*.shop.example.com'], stableService: stable, canaryService: canary, port: 80 });
    const route = Testing.synth(chart).find(o => o.kind === 'HTTPRoute');
    expect(route.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(route.spec.parentRefs).toEqual([{ name: 'public', namespace: 'gateway-system' }]);
    expect(route.spec.rules).toEqual([{ backendRefs: [
      { kind: 'Service', name: 'web-stable', port: 80, weight: 100 },
      { kind: 'Service', name: 'web-canary', port: 80, weight: 0 },
    ] }]);
    expect(route).toMatchSnapshot();
  });

  test('GIVEN an invalid hostname WHEN constructed THEN it throws with the rule and an example', () => {
    const { chart, stable, canary } = routedServices();
    expect(problemsAfter(chart, () => new HttpRoute(chart, 'Route', { gateway: { name: 'g' }, hostnames: ['Shop.Example.com'], stableService: stable, canaryService: canary, port: 80 })))
      .toContain("test/Route: 'hostnames' is 'Shop.Example.com': must be a lowercase dns name, optionally starting with *.; use a hostname such as 'web.example.com'");
  });
});
