import { Chart, Duration, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AnalysisTemplate } from '../../../lib/analysis';
import { validationProblems } from '../../../lib/errors';
import { synthNotes } from '../../../lib/output';
import { ArgValue, CanaryStep, Rollout, RolloutProps, RolloutStrategy, ScaleDown } from '../../../lib/rollout';
import { PodDisruptionBudget } from '../../../lib/workload';
import { rolloutFixture } from './fixture';

function setup(steps?: (template: AnalysisTemplate) => CanaryStep[], options: { sameServices?: boolean } & Pick<RolloutProps, 'replicas' | 'progressDeadlineAbort'> = {}) {
  const { sameServices, ...rolloutOptions } = options;
  return rolloutFixture(parts => RolloutStrategy.canary({
    stableService: parts.stable,
    canaryService: sameServices ? parts.stable : parts.canary,
    steps: steps ? steps(parts.template) : [CanaryStep.setWeight(10), parts.analysis, CanaryStep.setWeight(50), parts.analysis],
  }), rolloutOptions);
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
    expect(rollout.spec.progressDeadlineAbort).toBe(true);
    expect(rollout).toMatchSnapshot();
  });

  test('GIVEN progressDeadlineAbort turned off WHEN synthesized THEN the Rollout says so and validation still passes', () => {
    const { app, chart } = setup(undefined, { progressDeadlineAbort: false });
    expect(validationProblems(app)).toEqual([]);
    expect(rolloutOf(chart).spec.progressDeadlineAbort).toBe(false);
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
    ['a weight nobody measures', () => [CanaryStep.setWeight(20), CanaryStep.pause(Duration.minutes(5))],
      ["test/Rollout: 'steps[0].setWeight' is 20: the canary takes traffic here but no analysis or manual pause gates it before the next weight or the promotion; add CanaryStep.analysis(...) or CanaryStep.pause() after steps[0], background analysis from step 0, or acceptUnmeasured with the reason"]],
    ['a missing template arg', (t: AnalysisTemplate) => [CanaryStep.setWeight(10), CanaryStep.analysis({ templates: [t] })],
      ["test/Rollout: 'steps[1].analysis.args' is 'hash': is required by analysis template 'rate' but gets no value; pass args: { 'hash': ArgValue.of(...) }"]],
    ['an unknown template arg', (t: AnalysisTemplate) => [CanaryStep.setWeight(10), CanaryStep.analysis({ templates: [t], args: { hash: ArgValue.of('x'), pod: ArgValue.of('y') } })],
      ["test/Rollout: 'steps[1].analysis.args' is 'pod': is not declared by any of the templates; pass only declared args: hash"]],
    ['a fractional pause', () => [CanaryStep.pause(Duration.millis(1500))],
      ["test/Rollout: 'steps[0].pause.duration' is '1.5s': must be a whole number of seconds of at least 0; set duration with Duration.seconds(n) or Duration.minutes(n)"]],
  ])('GIVEN %s WHEN validated THEN the problem is reported with path, field, value and fix', (_, steps, messages) => {
    const { app } = setup(steps);
    expect(validationProblems(app)).toEqual(messages);
  });

  test('GIVEN the same Service as stable and canary WHEN validated THEN it is refused', () => {
    const { app } = setup(undefined, { sameServices: true });
    expect(validationProblems(app)).toContain("test/Rollout: 'canaryService' is 'app-stable': must differ from stableService: the controller rewrites both selectors; use two Services, e.g. <name>-canary and <name>-stable");
  });

  test('GIVEN zero replicas WHEN constructed THEN the synth reports it with the fix', () => {
    expect(validationProblems(setup(undefined, { replicas: 0 }).app)).toContain("test/Rollout: 'replicas' is 0: must be an integer of at least 1; use at least 2 replicas so a PodDisruptionBudget can keep one up");
  });

  test('GIVEN a literal environment value WHEN validated THEN it is refused, and ConfigMap or Secret references pass', () => {
    const { app, chart, rollout } = setup();
    const [container] = rollout.containers;
    container.env.addVariable('MODE', kplus.EnvValue.fromConfigMap(kplus.ConfigMap.fromConfigMapName(chart, 'Config', 'app-config'), 'mode'));
    container.env.addVariable('PASSWORD', kplus.EnvValue.fromValue('hunter2'));
    expect(validationProblems(app)).toEqual([
      "test/Rollout: 'containers[app].env.PASSWORD' is '(literal value)': environment values must come from a configmap or secret, never a literal in dist/; use kplus.EnvValue.fromConfigMap(...) or kplus.EnvValue.fromSecretValue(...)",
    ]);
  });

  test('GIVEN a strategy Service that selects other pods WHEN validated THEN the problem names the Service and the missing labels', () => {
    const { app, canary } = setup();
    canary.selectLabel('tier', 'backend');
    expect(validationProblems(app)).toEqual([
      "test/Rollout: 'services[app-canary].selector' is 'tier=backend': does not select the rollout's pods, so the service would get no endpoints; call service.select(rollout)",
    ]);
  });

  test('GIVEN a replica-based canary WHEN notes are read THEN they give the real share of each weight', () => {
    const { app } = setup(undefined, { replicas: 4 });
    expect(synthNotes(app).map(n => n.text)).toEqual([
      'test/Rollout: no traffic router, so the canary\'s share is its share of 4 replicas: setWeight 10 runs 1 canary and 4 stable pods (20% of traffic); setWeight 50 runs 2 canary and 2 stable pods (50% of traffic)',
    ]);
  });

  describe('migrating a Deployment', () => {
    /** A Rollout `legacy` taking over the Deployment `legacy`, whose pods carry `app: legacy`, with the Deployment's Service and a PDB. */
    function migration(props: Partial<RolloutProps> = {}, container = false) {
      const app = Testing.app();
      const chart = new Chart(app, 'test', { namespace: 'shop' });
      const port = { port: 80, targetPort: 8080 };
      const stable = new kplus.Service(chart, 'Stable', { metadata: { name: 'legacy-stable' }, ports: [port] });
      const canary = new kplus.Service(chart, 'Canary', { metadata: { name: 'legacy-canary' }, ports: [port] });
      const existing = new kplus.Service(chart, 'Existing', { metadata: { name: 'legacy' }, ports: [port] });
      const rollout = new Rollout(chart, 'Rollout', {
        metadata: { name: 'legacy' },
        replicas: 5,
        selector: { app: 'legacy' },
        workloadRef: { deploymentName: 'legacy', scaleDown: ScaleDown.ON_SUCCESS },
        strategy: RolloutStrategy.canary({
          stableService: stable, canaryService: canary,
          steps: [CanaryStep.setWeight(20), CanaryStep.pause()],
        }),
        ...props,
      });
      if (container) rollout.addContainer({ name: 'app', image: 'ghcr.io/acme/app@sha256:' + 'a'.repeat(64), portNumber: 8080 });
      for (const service of [stable, canary, existing]) service.select(rollout);
      new PodDisruptionBudget(chart, 'Pdb', { workload: rollout });
      return { app, chart };
    }

    test('GIVEN a Rollout referring to a Deployment WHEN synthesized THEN it matches the fields of the Argo Rollouts migration docs, and every selector keeps the Deployment\'s labels', () => {
      // Fields from the Argo Rollouts "Migrating to Rollouts" page: replicas, selector.matchLabels, workloadRef with scaleDown, no template.
      const { app, chart } = migration();
      expect(validationProblems(app)).toEqual([]);
      const objects = Testing.synth(chart);
      const rollout = objects.find(o => o.kind === 'Rollout');
      expect(rollout.spec).toMatchObject({
        replicas: 5,
        selector: { matchLabels: { app: 'legacy' } },
        workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'legacy', scaleDown: 'onsuccess' },
      });
      expect(rollout.spec.template).toBeUndefined();
      expect(objects.filter(o => o.kind === 'Service').map(o => o.spec.selector)).toEqual([{ app: 'legacy' }, { app: 'legacy' }, { app: 'legacy' }]);
      expect(objects.find(o => o.kind === 'PodDisruptionBudget').spec.selector).toEqual({ matchLabels: { app: 'legacy' } });
    });

    test('GIVEN the upstream workloadRef example, without a selector WHEN synthesized THEN it matches examples/rollout-template-ref.yaml field by field, the selector left to the controller', () => {
      // argo-rollouts v1.9.1 examples/rollout-template-ref.yaml (the Rollout; the controller takes the
      // Deployment's selector when the Rollout has none, rollout/templateref.go):
      //   spec:
      //     replicas: 5
      //     revisionHistoryLimit: 2
      //     workloadRef:
      //       apiVersion: apps/v1
      //       kind: Deployment
      //       name: rollout-ref-deployment
      //     strategy:
      //       canary:
      //         steps:
      //           - setWeight: 20
      //           - pause: {duration: 10s}
      const app = Testing.app();
      const chart = new Chart(app, 'test', { namespace: 'ns' });
      new Rollout(chart, 'Rollout', {
        metadata: { name: 'rollout-ref-deployment' },
        replicas: 5,
        revisionHistoryLimit: 2,
        workloadRef: { deploymentName: 'rollout-ref-deployment' },
        strategy: RolloutStrategy.canary({
          steps: [CanaryStep.setWeight(20), CanaryStep.pause(Duration.seconds(10))],
          acceptUnmeasured: 'the upstream example: a timed pause only',
        }),
      });
      expect(validationProblems(app)).toEqual([]);
      const spec = Testing.synth(chart).find(o => o.kind === 'Rollout').spec;
      expect(spec.replicas).toBe(5);
      expect(spec.revisionHistoryLimit).toBe(2);
      expect(spec.selector).toBeUndefined();
      expect(spec.template).toBeUndefined();
      expect(spec.workloadRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'rollout-ref-deployment' });
      // The pause is written in seconds, which the controller reads like '10s' (a duration is an int or a string, types.go RolloutPause).
      expect(spec.strategy.canary.steps).toEqual([{ setWeight: 20 }, { pause: { duration: 10 } }]);
    });

    test('GIVEN a custom selector and containers of its own WHEN synthesized THEN the pods carry the selector labels', () => {
      const { app, chart } = migration({ workloadRef: undefined }, true);
      expect(validationProblems(app)).toEqual([]);
      const rollout = Testing.synth(chart).find(o => o.kind === 'Rollout');
      expect(rollout.spec.selector).toEqual({ matchLabels: { app: 'legacy' } });
      expect(rollout.spec.template.metadata.labels).toEqual({ app: 'legacy' });
    });

    test.each<[string, Partial<RolloutProps>, boolean, string[]]>([
      ['containers beside a workloadRef', {}, true,
        ["test/Rollout: 'containers' is [\"app\"]: must be empty with a workloadRef: the pod template comes from the deployment; remove the containers, or the workloadRef to 'legacy'"]],
      ['an empty selector', { selector: {}, workloadRef: undefined }, true,
        ["test/Rollout: 'selector' is {}: an empty selector selects every pod of the namespace; give the labels of this rollout's pods, e.g. { app: 'api' }"]],
    ])('GIVEN %s WHEN validated THEN it is refused with the fix', (_, props, container, messages) => {
      expect(validationProblems(migration(props, container).app)).toEqual(expect.arrayContaining(messages));
    });
  });
});
