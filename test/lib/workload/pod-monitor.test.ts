import { Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { CanaryStep, Rollout, RolloutStrategy } from '../../../lib/rollout';
import { PodMonitor } from '../../../lib/workload';
import { problemsAfter } from '../../helpers';

function setup() {
  const chart = new Chart(Testing.app(), 'test');
  const deployment = new kplus.Deployment(chart, 'App', { containers: [{ image: 'app', ports: [{ number: 8080, name: 'http' }] }] });
  return { chart, deployment };
}

describe('PodMonitor', () => {
  test('GIVEN a workload WHEN synthesized THEN it scrapes its pods and copies the pod template hash to the label the queries use', () => {
    const { chart, deployment } = setup();
    new PodMonitor(chart, 'Monitor', { metadata: { name: 'app' }, workload: deployment, portName: 'http' });
    const [monitor] = Testing.synth(chart).filter(o => o.kind === 'PodMonitor');
    expect(monitor.spec.selector).toEqual({ matchLabels: deployment.matchLabels });
    expect(monitor.spec.podMetricsEndpoints).toEqual([{
      port: 'http', path: '/metrics', interval: '15s',
      relabelings: [{ action: 'replace', sourceLabels: ['__meta_kubernetes_pod_label_rollouts_pod_template_hash'], targetLabel: 'rollouts_pod_template_hash' }],
    }]);
    expect(monitor).toMatchSnapshot();
  });

  test('GIVEN a sub-second interval WHEN constructed THEN it throws with the fix', () => {
    const { chart, deployment } = setup();
    expect(problemsAfter(chart, () => new PodMonitor(chart, 'Monitor', { workload: deployment, portName: 'http', interval: Duration.millis(500) })))
      .toContain("test/Monitor: 'interval' is '0.5s': must be a whole number of seconds of at least 1; set interval with Duration.seconds(n) or Duration.minutes(n)");
  });

  test('GIVEN a Rollout whose selector is its Deployment\'s, not known here WHEN monitored THEN it is refused: an empty selector would scrape every pod', () => {
    const { chart } = setup();
    const legacy = new Rollout(chart, 'Legacy', { metadata: { name: 'legacy' }, workloadRef: { deploymentName: 'legacy' },
      strategy: RolloutStrategy.canary({ steps: [CanaryStep.setWeight(20), CanaryStep.pause()] }) });
    expect(problemsAfter(chart, () => new PodMonitor(chart, 'Monitor', { workload: legacy, portName: 'http' })))
      .toContain("test/Monitor: 'workload' is 'test/Legacy': selects its pods by no label known here, so this would select every pod of the namespace; give the workload a selector, e.g. the deployment's spec.selector.matchLabels for a rollout with a workloadRef");
  });
});
