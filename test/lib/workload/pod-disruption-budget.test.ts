import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { CanaryStep, Rollout, RolloutStrategy } from '../../../lib/rollout';
import { PodDisruptionBudget } from '../../../lib/workload';
import { problemsAfter } from '../../helpers';

describe('PodDisruptionBudget', () => {
  test('GIVEN a workload WHEN budgeted THEN it selects the workload and allows one pod down', () => {
    const chart = new Chart(Testing.app(), 'test');
    const deployment = new kplus.Deployment(chart, 'Deployment', { containers: [{ image: 'x' }] });
    new PodDisruptionBudget(chart, 'Budget', { metadata: { name: 'app' }, workload: deployment });
    const budget = Testing.synth(chart).find(o => o.kind === 'PodDisruptionBudget');
    expect(budget.spec.maxUnavailable).toBe(1);
    expect(budget.spec.selector.matchLabels).toEqual(deployment.matchLabels);
  });

  test('GIVEN zero allowed disruptions WHEN constructed THEN it fails because nodes could never drain', () => {
    const chart = new Chart(Testing.app(), 'test');
    const deployment = new kplus.Deployment(chart, 'Deployment', { containers: [{ image: 'x' }] });
    expect(problemsAfter(chart, () => new PodDisruptionBudget(chart, 'Budget', { workload: deployment, maxUnavailable: 0 })))
      .toContain("test/Budget: 'maxUnavailable' is 0: must be an integer of at least 1, or nodes can never be drained; set maxUnavailable to 1");
  });

  test('GIVEN a Rollout whose selector is its Deployment\'s, not known here WHEN budgeted THEN it is refused: an empty selector would cover every pod', () => {
    const chart = new Chart(Testing.app(), 'test');
    const legacy = new Rollout(chart, 'Legacy', { metadata: { name: 'legacy' }, workloadRef: { deploymentName: 'legacy' },
      strategy: RolloutStrategy.canary({ steps: [CanaryStep.setWeight(20), CanaryStep.pause()] }) });
    expect(problemsAfter(chart, () => new PodDisruptionBudget(chart, 'Budget', { workload: legacy })))
      .toContain("test/Budget: 'workload' is 'test/Legacy': selects its pods by no label known here, so this would select every pod of the namespace; give the workload a selector, e.g. the deployment's spec.selector.matchLabels for a rollout with a workloadRef");
  });
});
