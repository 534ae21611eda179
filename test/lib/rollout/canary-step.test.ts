import { Duration } from 'cdk8s';
import { AnalysisTemplate, ClusterAnalysisTemplate, MetricMatch } from '../../../lib/analysis';
import { validationProblems } from '../../../lib/errors';
import { ArgValue, CanaryStep, ExperimentSpecRef, RolloutStrategy, StringMatch, TrafficRouter, VirtualService } from '../../../lib/rollout';
import { rolloutFixture, FixtureParts } from './fixture';

/** A canary with an Istio router (or none) whose steps are `extra` followed by a measured weight. */
function withSteps(extra: (p: FixtureParts) => CanaryStep[], options: { router?: boolean } = { router: true }) {
  return rolloutFixture(p => RolloutStrategy.canary({
    stableService: p.stable,
    canaryService: p.canary,
    trafficRouter: options.router
      ? TrafficRouter.istio(new VirtualService(p.chart, 'Vs', { metadata: { name: 'app' }, hosts: ['app'], stableService: p.stable, canaryService: p.canary, port: 80 }))
      : undefined,
    steps: [...extra(p), CanaryStep.setWeight(10), p.analysis],
  }));
}

describe('CanaryStep', () => {
  test('GIVEN the steps of the upstream analysis-step example, templates without args WHEN synthesized THEN they match the upstream file field by field, with no args list', () => {
    // argo-rollouts v1.9.1 examples/rollout-analysis-step.yaml:
    //   steps:
    //   - setWeight: 25
    //   - analysis:
    //       templates:
    //       - templateName: random-fail
    //       - templateName: always-pass
    //         clusterScope: true
    const fixture = rolloutFixture(() => RolloutStrategy.canary({
      steps: [CanaryStep.setWeight(25), CanaryStep.analysis({ templates: [AnalysisTemplate.fromName('random-fail'), ClusterAnalysisTemplate.fromName('always-pass')] })],
    }));
    expect(validationProblems(fixture.app)).toEqual([]);
    expect(fixture.rolloutJson().spec.strategy.canary.steps).toEqual([
      { setWeight: 25 },
      { analysis: { templates: [{ templateName: 'random-fail' }, { templateName: 'always-pass', clusterScope: true }] } },
    ]);
  });

  test('GIVEN every step kind WHEN synthesized THEN each renders exactly one key, with durations as Go durations or seconds', () => {
    const fixture = withSteps(p => [
      CanaryStep.setCanaryReplicas(1),
      CanaryStep.setCanaryScaleWeight(20),
      CanaryStep.matchTrafficWeight(),
      CanaryStep.pause(Duration.minutes(2)),
      CanaryStep.pause(),
      CanaryStep.experiment({
        duration: Duration.minutes(10),
        templates: [
          { name: 'baseline', specRef: ExperimentSpecRef.STABLE, metadata: { labels: { track: 'baseline' } }, selector: { track: 'baseline' }, service: { name: 'app-baseline' } },
          { name: 'candidate', specRef: ExperimentSpecRef.CANARY, weight: 5 },
        ],
        analyses: [{ name: 'compare', template: p.template, args: { hash: ArgValue.of('{{templates.candidate.podTemplateHash}}') } }],
      }),
      CanaryStep.setMirrorRoute({ name: 'shadow', percentage: 50, match: [{ method: StringMatch.exact('GET'), path: StringMatch.prefix('/api') }] }),
    ]);
    expect(validationProblems(fixture.app)).toEqual([]);
    const steps = fixture.rolloutJson().spec.strategy.canary.steps;
    expect(steps.every((s: object) => Object.keys(s).length === 1)).toBe(true);
    expect(steps.slice(0, 5)).toEqual([
      { setCanaryScale: { replicas: 1 } },
      { setCanaryScale: { weight: 20 } },
      { setCanaryScale: { matchTrafficWeight: true } },
      { pause: { duration: 120 } },
      { pause: {} },
    ]);
    expect(steps[5].experiment).toEqual({
      duration: '10m',
      // Fields from the Argo Rollouts experiment step docs: metadata labels join the selector, and a template can get its own Service.
      templates: [
        { name: 'baseline', specRef: 'stable', metadata: { labels: { track: 'baseline' } }, selector: { matchLabels: { track: 'baseline' } }, service: { name: 'app-baseline' } },
        { name: 'candidate', specRef: 'canary', weight: 5 },
      ],
      analyses: [{ name: 'compare', templateName: 'rate', args: [{ name: 'hash', value: '{{templates.candidate.podTemplateHash}}' }] }],
    });
    expect(steps[6]).toEqual({ setMirrorRoute: { name: 'shadow', percentage: 50, match: [{ method: { exact: 'GET' }, path: { prefix: '/api' } }] } });
    expect(fixture.rolloutJson().spec.strategy.canary.trafficRouting.managedRoutes).toEqual([{ name: 'shadow' }]);
  });

  test.each<[string, (p: FixtureParts) => CanaryStep[], boolean, string[]]>([
    ['setCanaryScale without a router', () => [CanaryStep.setCanaryReplicas(1)], false,
      ["test/Rollout: 'steps[0].setCanaryScale.replicas' is 1: needs a traffic router that supports it (gateway api, istio, ingress-nginx), and the strategy has no traffic router; set trafficRouter to one of: gateway api, istio, ingress-nginx, or remove the step"]],
    ['a setCanaryScale weight above 100', () => [CanaryStep.setCanaryScaleWeight(120)], true,
      ["test/Rollout: 'steps[0].setCanaryScale.weight' is 120: must be an integer from 0 to 100; use a percentage such as 10"]],
    ['a negative canary replica count', () => [CanaryStep.setCanaryReplicas(-1)], true,
      ["test/Rollout: 'steps[0].setCanaryScale.replicas' is -1: must be an integer of at least 0; use a replica count such as 1"]],
    ['a header route without a router', () => [CanaryStep.setHeaderRoute({ name: 'testers', match: [{ headerName: 'x', value: StringMatch.exact('1') }] })], false,
      ["test/Rollout: 'steps[0].setHeaderRoute' is 'testers': needs a traffic router that supports it (gateway api, istio), and the strategy has no traffic router; set trafficRouter to one of: gateway api, istio, or remove the step"]],
    ['an empty header match value', () => [CanaryStep.setHeaderRoute({ name: 'testers', match: [{ headerName: 'x', value: StringMatch.regex('') }] })], true,
      ["test/Rollout: 'steps[0].setHeaderRoute.match' is '': a match value must not be empty; match a value, or remove the match"]],
    ['a mirror route without Istio', () => [CanaryStep.setMirrorRoute({ name: 'shadow' })], false,
      ["test/Rollout: 'steps[0].setMirrorRoute' is 'shadow': needs a traffic router that supports it (istio), and the strategy has no traffic router; set trafficRouter to one of: istio, or remove the step"]],
    ['a mirror percentage above 100', () => [CanaryStep.setMirrorRoute({ name: 'shadow', percentage: 101 })], true,
      ["test/Rollout: 'steps[0].setMirrorRoute.percentage' is 101: must be an integer from 0 to 100; use a percentage such as 10"]],
    ['an experiment selector its pods lack', () => [CanaryStep.experiment({ duration: Duration.minutes(1), templates: [{ name: 'c', specRef: ExperimentSpecRef.CANARY, selector: { track: 'x' } }] })], true,
      ["test/Rollout: 'steps[0].experiment.templates[c].selector' is 'track=x': is not a label of the experiment's pods, so its replicaset would select none of them; select rollout pod labels or metadata.labels of the template"]],
    ['an experiment service with an invalid name', () => [CanaryStep.experiment({ duration: Duration.minutes(1), templates: [{ name: 'c', specRef: ExperimentSpecRef.CANARY, service: { name: 'App_Baseline' } }] })], true,
      ["test/Rollout: 'steps[0].experiment.templates[c].service.name' is 'App_Baseline': must be a lowercase rfc 1123 label (a-z, 0-9 and '-', starting and ending alphanumeric) of at most 63 characters; name the service, e.g. 'api-baseline'"]],
    ['a pod hash of a template the experiment lacks', p => [CanaryStep.experiment({
      duration: Duration.minutes(1), templates: [{ name: 'c', specRef: ExperimentSpecRef.CANARY }],
      analyses: [{ name: 'a', template: p.template, args: { hash: ArgValue.of('{{templates.canary.podTemplateHash}}') } }],
    })], true,
    ["test/Rollout: 'steps[0].experiment.analyses[a].args.hash' is '{{templates.canary.podTemplateHash}}': names no template of the experiment, so the controller cannot resolve it; use one of: c"]],
    ['an experiment weight without a router', () => [CanaryStep.experiment({ duration: Duration.minutes(1), templates: [{ name: 'c', specRef: ExperimentSpecRef.CANARY, weight: 5 }] })], false,
      ["test/Rollout: 'steps[0].experiment.templates[c].weight' is 5: needs a traffic router that supports it (istio), and the strategy has no traffic router; set trafficRouter to one of: istio, or remove the step"]],
    ['duplicate experiment templates', () => [CanaryStep.experiment({ duration: Duration.minutes(1), templates: [{ name: 'c', specRef: ExperimentSpecRef.CANARY }, { name: 'c', specRef: ExperimentSpecRef.STABLE }] })], true,
      ["test/Rollout: 'steps[0].experiment.templates[].name' is 'c': template names must be unique within an experiment; rename one of the templates"]],
    ['an experiment analysis missing an arg', p => [CanaryStep.experiment({ duration: Duration.minutes(1), templates: [{ name: 'c', specRef: ExperimentSpecRef.CANARY }], analyses: [{ name: 'a', template: p.template }] })], true,
      ["test/Rollout: 'steps[0].experiment.analyses[a].args' is 'hash': is required by analysis template 'rate' but gets no value; pass args: { 'hash': ArgValue.of(...) }"]],
  ])('GIVEN %s WHEN validated THEN the problem names the step, the field and the fix', (_, steps, router, messages) => {
    expect(validationProblems(withSteps(steps, { router }).app)).toEqual(messages);
  });

  test.each<[string, (p: FixtureParts) => CanaryStep, boolean]>([
    ['an analysis', p => p.analysis, true],
    ['an analysis whose every metric is in dry-run', p => CanaryStep.analysis({ templates: [p.template], args: { hash: ArgValue.of('x') }, dryRun: [MetricMatch.pattern('.')] }), false],
    ['an analysis by a template in the cluster, whose metrics are trusted', () => CanaryStep.analysis({ templates: [AnalysisTemplate.fromName('smoke')] }), true],
    ['a pause until promoted by hand', () => CanaryStep.pause(), true],
    ['a timed pause', () => CanaryStep.pause(Duration.minutes(5)), false],
    ['a weight', () => CanaryStep.setWeight(10), false],
    ['an experiment whose analysis can fail', p => CanaryStep.experiment({ duration: Duration.minutes(5), templates: [{ name: 'c', specRef: ExperimentSpecRef.CANARY }],
      analyses: [{ name: 'a', template: p.template, args: { hash: ArgValue.of('{{templates.c.podTemplateHash}}') } }] }), true],
    ['a timed experiment without analysis', () => CanaryStep.experiment({ duration: Duration.minutes(5), templates: [{ name: 'c', specRef: ExperimentSpecRef.CANARY }] }), false],
    ['an open-ended experiment, which holds until promoted by hand', () => CanaryStep.experiment({ templates: [{ name: 'c', specRef: ExperimentSpecRef.CANARY }] }), true],
  ])('GIVEN %s WHEN asked whether it gates the weight before it THEN the answer is %s', (_, step, gates) => {
    let built: CanaryStep | undefined;
    withSteps(p => [(built = step(p))]);
    expect(built!.gates).toBe(gates);
  });
});
