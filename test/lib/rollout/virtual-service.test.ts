import { Testing } from 'cdk8s';
import { DestinationRule, VirtualService } from '../../../lib/rollout';
import { problemsAfter } from '../../helpers';
import { routedServices } from './routes';

describe('VirtualService', () => {
  test('GIVEN host-level splitting WHEN synthesized THEN the named route sends all traffic to the stable host', () => {
    const { chart, stable, canary } = routedServices();
    new VirtualService(chart, 'Vs', { metadata: { name: 'web' }, hosts: ['web'], stableService: stable, canaryService: canary, port: 80 });
    const vs = Testing.synth(chart).find(o => o.kind === 'VirtualService');
    expect(vs.spec.gateways).toEqual(['mesh']);
    expect(vs.spec.http).toEqual([{ name: 'primary', route: [
      { destination: { host: 'web-stable', port: { number: 80 } }, weight: 100 },
      { destination: { host: 'web-canary', port: { number: 80 } }, weight: 0 },
    ] }]);
    expect(vs).toMatchSnapshot();
  });

  test('GIVEN a DestinationRule and no stable or canary Service WHEN synthesized THEN the route splits one host by subset', () => {
    const { chart, stable } = routedServices();
    const rule = new DestinationRule(chart, 'Dr', { metadata: { name: 'web' }, service: stable });
    new VirtualService(chart, 'Vs', { metadata: { name: 'web' }, hosts: ['web'], destinationRule: rule, port: 80 });
    const vs = Testing.synth(chart).find(o => o.kind === 'VirtualService');
    expect(vs.spec.http[0].route.map((r: any) => r.destination)).toEqual([
      { host: 'web-stable', subset: 'stable', port: { number: 80 } },
      { host: 'web-stable', subset: 'canary', port: { number: 80 } },
    ]);
  });

  test('GIVEN no hosts WHEN constructed THEN it throws with the fix', () => {
    const { chart, stable, canary } = routedServices();
    expect(problemsAfter(chart, () => new VirtualService(chart, 'Vs', { hosts: [], stableService: stable, canaryService: canary, port: 80 })))
      .toContain("test/Vs: 'hosts' is []: a virtual service needs at least one host; pass the host clients call, e.g. the service name");
  });

  test('GIVEN neither a DestinationRule nor both Services WHEN constructed THEN there is nothing to split between', () => {
    const { chart, stable } = routedServices();
    expect(problemsAfter(chart, () => new VirtualService(chart, 'Vs', { hosts: ['web'], stableService: stable, port: 80 })))
      .toContain("test/Vs: 'stableService' is 'web-stable': a split by host needs both the stable and the canary service; pass stableService and canaryService, or a destinationRule to split one service by subset");
  });
});
