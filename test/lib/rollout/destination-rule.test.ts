import { Testing } from 'cdk8s';
import { DestinationRule } from '../../../lib/rollout';
import { routedServices } from './routes';

describe('DestinationRule', () => {
  test('GIVEN a Service WHEN synthesized THEN it has the stable and canary subsets the controller labels', () => {
    const { chart, stable } = routedServices();
    const rule = new DestinationRule(chart, 'Dr', { metadata: { name: 'web' }, service: stable });
    const json = Testing.synth(chart).find(o => o.kind === 'DestinationRule');
    expect(rule.name).toBe('web');
    expect(json.spec).toEqual({ host: 'web-stable', subsets: [{ name: 'stable' }, { name: 'canary' }] });
  });
});
