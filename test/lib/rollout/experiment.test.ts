import { Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AnalysisTemplate, MetricMatch, PrometheusMetric, Threshold } from '../../../lib/analysis';
import { validationProblems } from '../../../lib/errors';
import { ArgValue, Experiment, ExperimentProps, ExperimentReplicaSet } from '../../../lib/rollout';

/** A pod template of the Argo Rollouts demo in `color`, labelled as the docs' example. */
const demo = (color: string): ExperimentReplicaSet => ({
  name: color,
  podTemplate: {
    metadata: { labels: { app: 'canary-demo', color } },
    spec: { containers: [{ name: 'canary-demo', image: `argoproj/rollouts-demo:${color}`, ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }] }] },
  },
});

function experiment(props: Partial<ExperimentProps> = {}, chartNamespace = 'demo') {
  const app = Testing.app();
  const chart = new Chart(app, 'test', { namespace: chartNamespace });
  const benchmark = new AnalysisTemplate(chart, 'Benchmark', {
    metadata: { name: 'http-benchmark' },
    args: [{ name: 'host' }],
    metrics: [new PrometheusMetric({ name: 'error-rate', address: 'http://p:9090', query: 'sum(rate(errors{host="{{args.host}}"}[1m]))', threshold: Threshold.below(1), count: 3 })],
  });
  new Experiment(chart, 'Experiment', {
    metadata: { name: 'example-experiment' },
    duration: Duration.minutes(20),
    progressDeadline: Duration.seconds(30),
    templates: [demo('purple'), demo('orange')],
    analyses: ['purple', 'orange'].map(host => ({ name: host, template: benchmark, args: { host: ArgValue.of(host) } })),
    ...props,
  });
  return { app, experiment: () => Testing.synth(chart).find(o => o.kind === 'Experiment') };
}

describe('Experiment', () => {
  test('GIVEN the documented standalone experiment WHEN synthesized THEN it matches the fields of the Argo Rollouts docs', () => {
    // Fields from the Argo Rollouts "Experiment CRD" page: duration, progressDeadlineSeconds, two templates whose selector is their labels, one analysis each.
    const { app, experiment: json } = experiment();
    expect(validationProblems(app)).toEqual([]);
    expect(json()).toMatchObject({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Experiment', metadata: { name: 'example-experiment', namespace: 'demo' } });
    expect(json().spec).toEqual({
      duration: '20m',
      progressDeadlineSeconds: 30,
      templates: ['purple', 'orange'].map(color => ({
        name: color,
        selector: { matchLabels: { app: 'canary-demo', color } },
        template: {
          metadata: { labels: { app: 'canary-demo', color } },
          spec: { containers: [{ name: 'canary-demo', image: `argoproj/rollouts-demo:${color}`, ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }] }] },
        },
      })),
      analyses: ['purple', 'orange'].map(host => ({ name: host, templateName: 'http-benchmark', args: [{ name: 'host', value: host }] })),
    });
  });

  test('GIVEN a service, replicas, a selector and run options WHEN synthesized THEN each is emitted', () => {
    const { app, experiment: json } = experiment({
      templates: [{ ...demo('purple'), replicas: 2, selector: { color: 'purple' }, service: { name: 'purple' }, minReady: Duration.seconds(10) }],
      analyses: undefined,
      duration: undefined,
      scaleDownDelay: Duration.seconds(0),
    });
    expect(validationProblems(app)).toEqual([]);
    expect(json().spec.templates[0]).toMatchObject({ replicas: 2, minReadySeconds: 10, selector: { matchLabels: { color: 'purple' } }, service: { name: 'purple' } });
    // Without a duration or an analysis to wait for, it runs until terminated, as the docs allow.
    expect(json().spec.duration).toBeUndefined();
    expect(json().spec.scaleDownDelaySeconds).toBe(0);
  });

  test('GIVEN dry-run, retention and run metadata WHEN synthesized THEN every analysis run gets them', () => {
    const { app, experiment: json } = experiment({
      dryRun: [MetricMatch.named('error-rate')],
      measurementRetention: [{ metrics: MetricMatch.pattern('error'), limit: 50 }],
      analysisRunMetadata: { labels: { experiment: 'colors' } },
    });
    expect(validationProblems(app)).toEqual([]);
    expect(json().spec).toMatchObject({
      dryRun: [{ metricName: '^error-rate$' }],
      measurementRetention: [{ metricName: 'error', limit: 50 }],
      analysisRunMetadata: { labels: { experiment: 'colors' } },
    });
  });

  test('GIVEN every mistake the controller would fail on WHEN validated THEN each is reported with the field and the fix', () => {
    const bare = { name: 'bare', podTemplate: { metadata: { labels: {} }, spec: { containers: [] as kplus.k8s.Container[] } } };
    const { app } = experiment({
      templates: [{ ...demo('purple'), selector: { color: 'green' }, replicas: -1, service: { name: 'Purple' } }, bare, demo('purple')],
      analyses: [{ name: 'a', template: AnalysisTemplate.fromName('x', { args: [{ name: 'hash' }] }), args: { hash: ArgValue.of('{{templates.green.podTemplateHash}}') } }],
      dryRun: [MetricMatch.named('latency')],
      duration: Duration.millis(1500),
    });
    expect(validationProblems(app)).toEqual([
      "test/Experiment: 'templates[].name' is 'purple': template names must be unique within an experiment; rename one of the templates",
      "test/Experiment: 'templates[purple].selector' is 'color=green': is not a label of the pod template, so the replicaset would select none of its pods; add the labels to podTemplate.metadata.labels",
      "test/Experiment: 'templates[purple].replicas' is -1: must be an integer of at least 0; run 1 replica or more",
      "test/Experiment: 'templates[purple].service.name' is 'Purple': must be a lowercase rfc 1123 label (a-z, 0-9 and '-', starting and ending alphanumeric) of at most 63 characters; name the service, e.g. 'api-baseline'",
      "test/Experiment: 'templates[bare].selector' is {}: an empty selector is refused for a replicaset; label the pod template, e.g. { app: 'api', track: 'baseline' }",
      "test/Experiment: 'templates[bare].podTemplate.spec.containers' is []: a pod needs at least one container; add the container to run",
      "test/Experiment: 'duration' is '1.5s': must be a whole number of seconds of at least 1; set duration with Duration.seconds(n) or Duration.minutes(n)",
      "test/Experiment: 'analyses[a].args.hash' is '{{templates.green.podTemplateHash}}': names no template of the experiment, so the controller cannot resolve it; use one of: purple, bare, purple",
    ]);
  });

  test('GIVEN a dry-run rule that one analysis lacks WHEN validated THEN that analysis run would fail, and the problem names it', () => {
    const { app } = experiment({ dryRun: [MetricMatch.named('latency')] });
    expect(validationProblems(app)).toEqual([
      "test/Experiment: 'dryRun[0]' is 'latency': matches no metric of analysis 'purple', which fails that analysis run; match one of: error-rate",
      "test/Experiment: 'dryRun[0]' is 'latency': matches no metric of analysis 'orange', which fails that analysis run; match one of: error-rate",
    ]);
  });
});
