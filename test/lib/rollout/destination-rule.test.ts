import { Testing } from 'cdk8s';
import { DestinationRule } from '../../../lib/rollout';
import { problemsAfter } from '../../helpers';
import { routedServices } from './routes';

describe('DestinationRule', () => {
  test('GIVEN a Service WHEN synthesized THEN it has the stable and canary subsets the controller labels', () => {
    const { chart, stable } = routedServices();
    const rule = new DestinationRule(chart, 'Dr', { metadata: { name: 'web' }, service: stable });
    const json = Testing.synth(chart).find(o => o.kind === 'DestinationRule');
    expect(rule.name).toBe('web');
    expect(json.spec).toEqual({ host: 'web-stable', subsets: [{ name: 'stable' }, { name: 'canary' }] });
  });

  test('GIVEN subset labels WHEN synthesized THEN both subsets match them, as the Argo Rollouts docs write them', () => {
    const { chart, stable } = routedServices();
    new DestinationRule(chart, 'Dr', { metadata: { name: 'web' }, service: stable, subsetLabels: { app: 'web' } });
    const json = Testing.synth(chart).find(o => o.kind === 'DestinationRule');
    expect(json.spec.subsets).toEqual([{ name: 'stable', labels: { app: 'web' } }, { name: 'canary', labels: { app: 'web' } }]);
  });

  test('GIVEN the pod template hash among the subset labels WHEN constructed THEN it is refused: the controller sets it', () => {
    const { chart, stable } = routedServices();
    expect(problemsAfter(chart, () => new DestinationRule(chart, 'Dr', { service: stable, subsetLabels: { 'rollouts-pod-template-hash': 'abc' } })))
      .toContain("test/Dr: 'subsetLabels.rollouts-pod-template-hash' is 'abc': is the label the controller sets on each subset at run time; remove it");
  });
});
