import { Chart, Duration, Testing } from 'cdk8s';
import { AnalysisTemplate, ConditionExpression, NewRelicMetric, NewRelicMetricProps, ScalarThreshold } from '../../../lib/analysis';
import { validationProblems } from '../../../lib/errors';

const scope = new Chart(Testing.app(), 'test');
const QUERY = "FROM Transaction SELECT percentage(count(*), WHERE httpResponseCode != 500) as successRate where appName = '{{ args.application-name }}'\n";
const newRelic = (props: Partial<NewRelicMetricProps> = {}) =>
  new NewRelicMetric({ name: 'success-rate', count: 1, query: QUERY, condition: { field: 'successRate', threshold: ScalarThreshold.atLeast(0.95) }, ...props });

describe('NewRelicMetric', () => {
  test('GIVEN the template of the upstream new relic docs WHEN synthesized THEN it matches the upstream snippet field by field', () => {
    // argo-rollouts v1.9.1 docs/analysis/newrelic.md:
    //   metrics:
    //   - name: success-rate
    //     successCondition: result.successRate >= 0.95
    //     provider:
    //       newRelic:
    //         profile: my-newrelic-secret  # optional, defaults to 'newrelic'
    //         query: |
    //           FROM Transaction SELECT percentage(count(*), WHERE httpResponseCode != 500) as successRate where appName = '{{ args.application-name }}'
    //         timeout: 10 # NRQL query timeout in seconds. Optional, defaults to 5
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    new AnalysisTemplate(chart, 'T', {
      metadata: { name: 'success-rate' },
      args: [{ name: 'application-name' }],
      metrics: [newRelic({ profile: 'my-newrelic-secret', timeout: Duration.seconds(10) })],
    });
    expect(validationProblems(app)).toEqual([]);
    const [json] = Testing.synth(chart);
    // Upstream omits count and interval: one measurement (analysis/analysis.go); count 1 and the
    // default interval are written out, with consecutiveErrorLimit 4, the controller's own default.
    expect(json.spec.metrics).toEqual([{
      name: 'success-rate', interval: '1m', count: 1, failureLimit: 0, consecutiveErrorLimit: 4, successCondition: 'result.successRate >= 0.95',
      provider: { newRelic: { profile: 'my-newrelic-secret', query: QUERY, timeout: 10 } },
    }]);
  });

  test('GIVEN a field named function.field WHEN rendered THEN it is read with brackets, as the upstream docs say', () => {
    // docs/analysis/newrelic.md: "the field result cannot be accessed with dot notation and instead should be accessed like `result['average.duration']`"
    const m = newRelic({ query: 'SELECT average(duration) from Transaction', condition: { field: 'average.duration', threshold: ScalarThreshold.below(0.5) } });
    expect(m._toMetric().successCondition).toBe('result["average.duration"] < 0.5');
    expect(m.problems(scope, [])).toEqual([]);
  });

  test.each<[string, Partial<NewRelicMetricProps>, string[]]>([
    ['an empty query', { query: ' ' },
      ["test: 'metrics[success-rate].query' is ' ': is required: the provider runs this nrql query; write the query, e.g. FROM Transaction SELECT percentage(count(*), WHERE httpResponseCode != 500) as successRate"]],
    ['an empty field', { condition: { field: '', threshold: ScalarThreshold.atLeast(0.95) } },
      ["test: 'metrics[success-rate].condition.field' is '': must name a field of the result; give the AS name of the query, e.g. successRate"]],
    ['a non-finite bound', { condition: { field: 'successRate', threshold: ScalarThreshold.atLeast(Infinity) } },
      ["test: 'metrics[success-rate].condition.threshold' is Infinity: must be a finite number; compare with a finite bound"]],
    ['a reviewed expression with a typo', { condition: ConditionExpression.of({ success: 'reslt.successRate >= 0.95', reason: 'r' }) },
      ["test: 'metrics[success-rate].condition.success' is 'reslt.successRate >= 0.95': is not an expr-lang condition: refers to 'reslt', which neither the controller nor expr-lang defines; fix the expression; see https://expr-lang.org/docs/language-definition"]],
    ['a sub-second timeout', { timeout: Duration.millis(100) },
      ["test: 'metrics[success-rate].timeout' is '0.1s': must be a whole number of seconds of at least 1; set timeout with Duration.seconds(n) or Duration.minutes(n)"]],
  ])('GIVEN %s WHEN checked THEN the problem names the metric, field, value and fix', (_, props, messages) => {
    expect(newRelic(props).problems(scope, [{ name: 'application-name' }])).toEqual(messages);
  });
});
