import { Chart, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AnalysisTemplate } from '../../../lib/analysis/analysis-template';
import { PrometheusMetric } from '../../../lib/analysis/prometheus-metric';
import { Threshold } from '../../../lib/analysis/threshold';
import { ArgValue } from '../../../lib/rollout/arg-value';
import { CanaryStep } from '../../../lib/rollout/canary-step';
import { Rollout } from '../../../lib/rollout/rollout';
import { RolloutStrategy } from '../../../lib/rollout/rollout-strategy';
import { validationProblems } from '../../../lib/synth/render';

function setup(steps?: (template: AnalysisTemplate) => CanaryStep[], options: { sameServices?: boolean; replicas?: number } = {}) {
  const app = Testing.app();
  const chart = new Chart(app, 'test');
  const template = new AnalysisTemplate(chart, 'Analysis', {
    metadata: { name: 'rate' },
    metrics: [new PrometheusMetric({ name: 'm', address: 'http://p:9090', query: 'sum(up{hash="{{args.hash}}"})', threshold: Threshold.atLeast(1) })],
    args: [{ name: 'hash' }],
  });
  const stable = new kplus.Service(chart, 'Stable', { metadata: { name: 'app-stable' }, ports: [{ port: 80, targetPort: 8080 }] });
  const canary = options.sameServices ? stable : new kplus.Service(chart, 'Canary', { metadata: { name: 'app-canary' }, ports: [{ port: 80, targetPort: 8080 }] });
  const analysis = CanaryStep.analysis({ templates: [template], args: { hash: ArgValue.canaryPodTemplateHash() } });
  const rollout = new Rollout(chart, 'Rollout', {
    metadata: { name: 'app' },
    replicas: options.replicas,
    strategy: RolloutStrategy.canary({
      stableService: stable,
      canaryService: canary,
      steps: steps ? steps(template) : [CanaryStep.setWeight(10), analysis, CanaryStep.setWeight(50), analysis],
    }),
  });
  rollout.addContainer({
    name: 'app',
    image: 'ghcr.io/acme/app@sha256:' + 'a'.repeat(64),
    portNumber: 8080,
    readiness: kplus.Probe.fromHttpGet('/healthz', { port: 8080 }),
    resources: { cpu: { request: kplus.Cpu.millis(100) }, memory: { request: Size.mebibytes(128), limit: Size.mebibytes(128) } },
  });
  stable.select(rollout);
  canary.select(rollout);
  return { app, chart, rollout, template };
}

const rolloutOf = (chart: Chart) => Testing.synth(chart).find(o => o.kind === 'Rollout');

describe('Rollout', () => {
  test('GIVEN the default canary WHEN synthesized THEN steps alternate weight and analysis, and no request is dropped', () => {
    const { app, chart } = setup();
    const rollout = rolloutOf(chart);
    expect(validationProblems(app)).toEqual([]);
    const canary = rollout.spec.strategy.canary;
    expect(canary.steps.map((s: object) => Object.keys(s)[0])).toEqual(['setWeight', 'analysis', 'setWeight', 'analysis']);
    expect(canary.steps[1].analysis.args).toEqual([{ name: 'hash', valueFrom: { podTemplateHashValue: 'Latest' } }]);
    expect(canary.maxUnavailable).toBe(0);
    expect(canary.maxSurge).toBe('25%');
    expect(rollout.spec.replicas).toBe(3);
    expect(rollout.spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'app' } });
    expect(rollout.spec.template.metadata.labels).toEqual({ 'app.kubernetes.io/name': 'app' });
    expect(rollout.spec.paused).toBeUndefined();
    expect(rollout.spec.restartAt).toBeUndefined();
    expect(rollout).toMatchSnapshot();
  });

  test('GIVEN a pod with probes, resources, env and volumes WHEN synthesized THEN the pod spec is exactly what cdk8s-plus renders', () => {
    const { chart, rollout } = setup();
    const secret = kplus.Secret.fromSecretName(chart, 'Secret', 'creds');
    rollout.containers[0].env.addVariable('TOKEN', kplus.EnvValue.fromSecretValue({ secret, key: 'token' }));
    rollout.containers[0].mount('/tmp', kplus.Volume.fromEmptyDir(chart, 'Tmp', 'tmp', { sizeLimit: Size.mebibytes(10) }));
    const expected = JSON.parse(JSON.stringify(kplus.k8s.toJson_PodSpec(rollout._toPodSpec())));
    expect(rolloutOf(chart).spec.template.spec).toEqual(expected);
    expect(rolloutOf(chart).spec.template.spec.containers[0].resources).toEqual({ limits: { memory: '128Mi' }, requests: { cpu: '100m', memory: '128Mi' } });
  });

  test('GIVEN an autoscaler WHEN synthesized THEN the Rollout emits no replicas and the HPA targets it', () => {
    const { chart, rollout } = setup();
    new kplus.HorizontalPodAutoscaler(chart, 'Hpa', { target: rollout, maxReplicas: 5, metrics: [kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(70))] });
    const objects = Testing.synth(chart);
    expect(objects.find(o => o.kind === 'Rollout').spec.replicas).toBeUndefined();
    expect(objects.find(o => o.kind === 'HorizontalPodAutoscaler').spec.scaleTargetRef).toEqual({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'app' });
  });

  test('GIVEN Services selecting the Rollout WHEN synthesized THEN they select its name label, not a construct address', () => {
    const { chart } = setup();
    const services = Testing.synth(chart).filter(o => o.kind === 'Service');
    expect(services.map(s => s.spec.selector)).toEqual([{ 'app.kubernetes.io/name': 'app' }, { 'app.kubernetes.io/name': 'app' }]);
  });

  test.each([
    ['a weight above 100', (t: AnalysisTemplate) => [CanaryStep.setWeight(150), CanaryStep.analysis({ templates: [t], args: { hash: ArgValue.of('x') } })],
      ["test/Rollout: 'steps[0].setWeight' is 150: must be an integer from 0 to 100; use a percentage such as 10"]],
    ['a weight nobody measures', () => [CanaryStep.setWeight(20), CanaryStep.pause()],
      ["test/Rollout: 'steps[0].setWeight' is 20: the canary takes traffic here but no analysis measures it before the next weight or the promotion; add CanaryStep.analysis(...) after steps[0]"]],
    ['a missing template arg', (t: AnalysisTemplate) => [CanaryStep.setWeight(10), CanaryStep.analysis({ templates: [t] })],
      ["test/Rollout: 'steps[1].analysis.args' is 'hash': is required by analysis template 'rate' but gets no value; pass args: { 'hash': ArgValue.of(...) }"]],
    ['an unknown template arg', (t: AnalysisTemplate) => [CanaryStep.setWeight(10), CanaryStep.analysis({ templates: [t], args: { hash: ArgValue.of('x'), pod: ArgValue.of('y') } })],
      ["test/Rollout: 'steps[1].analysis.args' is 'pod': is not declared by any of the templates; pass only declared args: hash"]],
    ['a fractional pause', () => [CanaryStep.pause({ toSeconds: () => 1.5 } as never)],
      ["test/Rollout: 'steps[0].pause.duration' is 1.5: must be a whole number of seconds of at least 0; use Duration.seconds(n), or no duration to wait for a human"]],
  ])('GIVEN %s WHEN validated THEN the problem is reported with path, field, value and fix', (_, steps, messages) => {
    const { app } = setup(steps);
    expect(validationProblems(app)).toEqual(messages);
  });

  test('GIVEN the same Service as stable and canary WHEN validated THEN it is refused', () => {
    const { app } = setup(undefined, { sameServices: true });
    expect(validationProblems(app)).toContain("test/Rollout: 'canaryService' is 'app-stable': must differ from stableService: the controller rewrites both selectors; use two Services, e.g. <name>-canary and <name>-stable");
  });

  test('GIVEN zero replicas WHEN constructed THEN it throws with the fix', () => {
    expect(() => setup(undefined, { replicas: 0 })).toThrow("test/Rollout: 'replicas' is 0: must be an integer of at least 1; use at least 2 replicas so a PodDisruptionBudget can keep one up");
  });
});
