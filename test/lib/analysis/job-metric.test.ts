import { Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AnalysisTemplate, JobMetric, JobMetricProps } from '../../../lib/analysis';
import { validationProblems } from '../../../lib/errors';

const scope = new Chart(Testing.app(), 'test');
const container: kplus.k8s.Container = {
  name: 'test', image: 'my-image:latest', command: ['my-test-script', 'my-service.default.svc.cluster.local'],
  resources: { limits: { cpu: kplus.k8s.Quantity.fromString('500m') } },
  ports: [{ containerPort: 8080 }],
  readinessProbe: { httpGet: { port: kplus.k8s.IntOrString.fromString('http') } },
};
const job = (spec: Partial<kplus.k8s.JobSpec> = {}, props: Partial<JobMetricProps> = {}) => new JobMetric({
  name: 'test',
  spec: { backoffLimit: 1, activeDeadlineSeconds: 300, template: { spec: { containers: [container], restartPolicy: 'Never' } }, ...spec },
  ...props,
});

describe('JobMetric', () => {
  test('GIVEN the upstream "pass" template, a Job without activeDeadlineSeconds, with acceptNoDeadline WHEN synthesized THEN it matches the upstream file field by field and records the opt-out', () => {
    // argo-rollouts v1.9.1 examples/analysis-templates.yaml:
    //   metadata:
    //     name: pass
    //   spec:
    //     metrics:
    //     - name: pass
    //       count: 1
    //       interval: 5s
    //       failureLimit: 1
    //       provider:
    //         job:
    //           spec:
    //             template:
    //               spec:
    //                 containers:
    //                 - name: sleep
    //                   image: alpine:3.8
    //                   command: [sh, -c]
    //                   args: [exit 0]
    //                 restartPolicy: Never
    //             backoffLimit: 0
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    new AnalysisTemplate(chart, 'T', {
      metadata: { name: 'pass' },
      metrics: [new JobMetric({
        name: 'pass', count: 1, interval: Duration.seconds(5), failureLimit: 1,
        spec: { template: { spec: { containers: [{ name: 'sleep', image: 'alpine:3.8', command: ['sh', '-c'], args: ['exit 0'] }], restartPolicy: 'Never' } }, backoffLimit: 0 },
        acceptNoDeadline: 'exit 0 cannot hang',
      })],
    });
    expect(validationProblems(app)).toEqual([]);
    const [json] = Testing.synth(chart);
    // consecutiveErrorLimit 4 is the controller's own default, written out (utils/defaults/defaults.go).
    expect(json.spec.metrics).toEqual([{
      name: 'pass', count: 1, interval: '5s', failureLimit: 1, consecutiveErrorLimit: 4,
      provider: { job: { spec: {
        template: { spec: { containers: [{ name: 'sleep', image: 'alpine:3.8', command: ['sh', '-c'], args: ['exit 0'] }], restartPolicy: 'Never' } },
        backoffLimit: 0,
      } } },
    }]);
    expect(json.metadata.annotations).toEqual({ 'infra-delivery.io/accepted-rules': '{"pass/job-without-deadline":"exit 0 cannot hang"}' });
  });

  test('GIVEN the documented job example WHEN synthesized THEN it matches the fields of the Argo Rollouts docs and runs once', () => {
    // Fields from the Argo Rollouts "Job Metrics" page: metadata labels and annotations, backoffLimit, a container, restartPolicy Never.
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    new AnalysisTemplate(chart, 'T', { metadata: { name: 'smoke' }, metrics: [job({}, { metadata: { labels: { foo: 'bar' }, annotations: { foo: 'bar' } } })] });
    expect(validationProblems(app)).toEqual([]);
    const [json] = Testing.synth(chart);
    const [metric] = json.spec.metrics;
    expect(metric).toMatchObject({ name: 'test', count: 1 });
    expect(metric.successCondition).toBeUndefined();
    expect(metric.provider.job).toEqual({
      metadata: { labels: { foo: 'bar' }, annotations: { foo: 'bar' } },
      spec: {
        backoffLimit: 1,
        activeDeadlineSeconds: 300,
        template: { spec: {
          restartPolicy: 'Never',
          // Quantities and int-or-string ports come out as plain values, as cdk8s-plus renders them.
          containers: [{ ...kplus.k8s.toJson_Container(container) }],
        } },
      },
    });
    expect(metric.provider.job.spec.template.spec.containers[0]).toMatchObject({ resources: { limits: { cpu: '500m' } }, readinessProbe: { httpGet: { port: 'http' } } });
  });

  test('GIVEN a job that refers to an arg WHEN checked THEN the arg must be declared', () => {
    const m = job({ template: { spec: { containers: [{ name: 't', image: 'i', args: ['{{args.service-url}}'] }], restartPolicy: 'Never' } } });
    expect(m.referencedArgs).toEqual(['service-url']);
    expect(m.problems(scope, [])).toEqual([
      "test: 'metrics[test].spec' is '{{args.service-url}}': refers to an arg the template does not declare; declare 'service-url' in the template's args or fix the name",
    ]);
  });

  test.each<[string, Partial<kplus.k8s.JobSpec>, Partial<JobMetricProps>, string[]]>([
    ['no deadline', { activeDeadlineSeconds: undefined }, {},
      ["test: 'metrics[test].spec.activeDeadlineSeconds' is '(none)': is required: the controller waits for the job without a timeout, so a hung job holds the rollout forever; set activeDeadlineSeconds, e.g. 300, or acceptNoDeadline with the reason"]],
    ['an empty opt-out reason', { activeDeadlineSeconds: undefined }, { acceptNoDeadline: '' },
      ["test: 'metrics[test].acceptNoDeadline' is '': must give the reason a job without a deadline is accepted; write the reason, e.g. 'the test times out by itself after 5 minutes'"]],
    ['an opt-out beside a deadline', {}, { acceptNoDeadline: 'why' },
      ["test: 'metrics[test].acceptNoDeadline' is 'why': accepts a job without a deadline but activeDeadlineSeconds is set; remove acceptNoDeadline"]],
    ['a fractional deadline', { activeDeadlineSeconds: 1.5 }, {},
      ["test: 'metrics[test].spec.activeDeadlineSeconds' is 1.5: must be a positive integer; set activeDeadlineSeconds, e.g. 300"]],
    ['a negative backoff', { backoffLimit: -1 }, {},
      ["test: 'metrics[test].spec.backoffLimit' is -1: must be an integer of at least 0; set 0 to fail on the first failed pod"]],
    ['pods that always restart', { template: { spec: { containers: [container] } } }, {},
      ["test: 'metrics[test].spec.template.spec.restartPolicy' is '(none: Always)': must be Never or OnFailure; Kubernetes refuses a job whose pods always restart; set restartPolicy: 'Never'"]],
    ['no container', { template: { spec: { containers: [], restartPolicy: 'OnFailure' } } }, {},
      ["test: 'metrics[test].spec.template.spec.containers' is []: a job needs at least one container; add the container that runs the test"]],
    ['a name the job cannot carry', {}, { name: 'Smoke_Test' },
      ["test: 'metrics[Smoke_Test].name' is 'Smoke_Test': names the job the controller creates, which must be lowercase letters, digits, '-' and '.'; rename the metric, e.g. 'smoke-test'"]],
  ])('GIVEN %s WHEN checked THEN the problem names the metric, field, value and fix', (_, spec, props, messages) => {
    expect(job(spec, props).problems(scope, [])).toEqual(messages);
  });
});
