import { Chart, Duration, Testing } from 'cdk8s';
import { AnalysisTemplate, ConditionExpression, DatadogApiVersion, DatadogMetric, DatadogMetricProps, ScalarThreshold, Verdict } from '../../../lib/analysis';
import { validationProblems } from '../../../lib/errors';

const scope = new Chart(Testing.app(), 'test');
const datadog = (props: Partial<DatadogMetricProps> = {}) =>
  new DatadogMetric({ name: 'error-rate', query: 'sum:requests.error.rate{service:{{args.service-name}}}', threshold: ScalarThreshold.atMost(0.01), ...props });
/** The template's one metric as plain JSON. */
function synthesized(metric: DatadogMetric) {
  const app = Testing.app();
  const chart = new Chart(app, 'test');
  new AnalysisTemplate(chart, 'T', { metadata: { name: 'loq-error-rate' }, args: [{ name: 'service-name' }], metrics: [metric] });
  expect(validationProblems(app)).toEqual([]);
  return Testing.synth(chart)[0].spec.metrics[0];
}

describe('DatadogMetric', () => {
  test('GIVEN the first template of the upstream datadog docs WHEN synthesized THEN it matches the upstream snippet field by field', () => {
    // argo-rollouts v1.9.1 docs/analysis/datadog.md:
    //   metrics:
    //   - name: error-rate
    //     interval: 5m
    //     successCondition: result <= 0.01
    //     failureLimit: 3
    //     provider:
    //       datadog:
    //         apiVersion: v2
    //         interval: 5m
    //         query: |
    //           sum:requests.error.rate{service:{{args.service-name}}}
    const metric = synthesized(datadog({
      interval: Duration.minutes(5), count: Infinity, failureLimit: 3, apiVersion: DatadogApiVersion.V2, window: Duration.minutes(5),
      query: 'sum:requests.error.rate{service:{{args.service-name}}}\n',
      threshold: ConditionExpression.of({ success: 'result <= 0.01', reason: 'the upstream template: no data errors the measurement' }),
    }));
    // consecutiveErrorLimit 4 is the controller's own default, written out (utils/defaults/defaults.go).
    expect(metric).toEqual({
      name: 'error-rate', interval: '5m', successCondition: 'result <= 0.01', failureLimit: 3, consecutiveErrorLimit: 4,
      provider: { datadog: { apiVersion: 'v2', interval: '5m', query: 'sum:requests.error.rate{service:{{args.service-name}}}\n' } },
    });
  });

  test('GIVEN the v2 formula template of the upstream datadog docs WHEN synthesized THEN it matches the upstream snippet field by field', () => {
    // argo-rollouts v1.9.1 docs/analysis/datadog.md, "Moving to v2", After:
    //   - name: error-rate
    //     # Polling rate against the Datadog API
    //     interval: 30s
    //     successCondition: default(result, 0) < 10
    //     failureLimit: 3
    //     provider:
    //       datadog:
    //         apiVersion: v2
    //         # The window of time we are looking at in DD. Basically we will fetch data from (now-5m) to now.
    //         interval: 5m
    //         queries:
    //           a: sum:requests.errors{service:{{args.service-name}}}.as_count()
    //           b: sum:requests{service:{{args.service-name}}}.as_count()
    //         formula: "moving_rollup(a, 60, 'sum') / b"
    const metric = synthesized(datadog({
      interval: Duration.seconds(30), count: Infinity, failureLimit: 3,
      apiVersion: DatadogApiVersion.V2, window: Duration.minutes(5), query: undefined,
      queries: { a: 'sum:requests.errors{service:{{args.service-name}}}.as_count()', b: 'sum:requests{service:{{args.service-name}}}.as_count()' },
      formula: "moving_rollup(a, 60, 'sum') / b",
      threshold: ConditionExpression.of({ success: 'default(result, 0) < 10', reason: 'the upstream template: no data passes' }),
    }));
    expect(metric).toEqual({
      name: 'error-rate', interval: '30s', successCondition: 'default(result, 0) < 10', failureLimit: 3, consecutiveErrorLimit: 4,
      provider: { datadog: {
        apiVersion: 'v2', interval: '5m',
        queries: { a: 'sum:requests.errors{service:{{args.service-name}}}.as_count()', b: 'sum:requests{service:{{args.service-name}}}.as_count()' },
        formula: "moving_rollup(a, 60, 'sum') / b",
      } },
    });
  });

  test.each<[Verdict, object]>([
    [Verdict.FAIL, { successCondition: '!isNil(result) && result <= 0.01' }],
    [Verdict.PASS, { successCondition: 'isNil(result) || result <= 0.01' }],
    [Verdict.INCONCLUSIVE, { successCondition: '!isNil(result) && result <= 0.01', failureCondition: '!isNil(result) && !(result <= 0.01)' }],
  ])('GIVEN a plain threshold with no data judged %p WHEN rendered THEN a nil result gets that verdict instead of an error', (onEmpty, conditions) => {
    const metric = synthesized(datadog({ onEmpty }));
    expect(metric).toMatchObject(conditions);
    expect(metric.provider).toEqual({ datadog: { query: 'sum:requests.error.rate{service:{{args.service-name}}}' } });
  });

  test('GIVEN a namespaced secret WHEN rendered THEN secretRef is written as the upstream docs show it', () => {
    // docs/analysis/datadog.md: secretRef: { name: "mysecret", namespaced: true }
    expect(synthesized(datadog({ secretRef: { name: 'mysecret', namespaced: true } })).provider.datadog.secretRef).toEqual({ name: 'mysecret', namespaced: true });
  });

  test.each<[string, Partial<DatadogMetricProps>, string[]]>([
    ['neither query nor queries', { query: undefined },
      ["test: 'metrics[error-rate].query' is '(none)': is required: the provider needs a query or queries; give query, or queries with a formula (v2)"]],
    ['both query and queries', { apiVersion: DatadogApiVersion.V2, queries: { a: 'x' } },
      ["test: 'metrics[error-rate].queries' is [\"a\"]: is set beside query, and the provider refuses both; keep one of query and queries"]],
    ['queries with v1', { query: undefined, queries: { a: 'x' } },
      ["test: 'metrics[error-rate].queries' is [\"a\"]: work only with api v2; v1 takes a single query; set apiVersion: DatadogApiVersion.V2"]],
    ['a formula without queries', { formula: 'a/b' },
      ["test: 'metrics[error-rate].formula' is 'a/b': is valid only with queries; give the queries it combines, or drop the formula"]],
    ['two queries without a formula', { apiVersion: DatadogApiVersion.V2, query: undefined, queries: { a: 'x', b: 'y' } },
      ["test: 'metrics[error-rate].queries' is [\"a\",\"b\"]: more than one query needs a formula: datadog returns a column each, in no set order; add a formula, e.g. 'a/b'"]],
    ['an aggregator with v1', { aggregator: 'avg' },
      ["test: 'metrics[error-rate].aggregator' is 'avg': works only with api v2; set apiVersion: DatadogApiVersion.V2 or drop the aggregator"]],
    ['a namespaced secret without a name', { secretRef: { name: '', namespaced: true } },
      ["test: 'metrics[error-rate].secretRef.name' is '': is required: the provider looks the secret up by name; give the name of the secret with address, api-key and app-key"]],
    ['a no-data verdict beside reviewed expressions', { onEmpty: Verdict.PASS, threshold: ConditionExpression.of({ success: 'result < 1', reason: 'r' }) },
      ["test: 'metrics[error-rate].onEmpty' is 'Successful': applies only to a ScalarThreshold; reviewed expressions say themselves what no data means; use default(result, ...) or isNil(result) in the expressions"]],
    ['a non-finite bound', { threshold: ScalarThreshold.below(NaN) },
      ["test: 'metrics[error-rate].threshold' is NaN: must be a finite number; compare with a finite bound"]],
    ['a sub-second window', { window: Duration.millis(500) },
      ["test: 'metrics[error-rate].window' is '0.5s': must be a whole number of seconds of at least 1; set window with Duration.seconds(n) or Duration.minutes(n)"]],
    ['an undeclared arg', { query: 'sum:x{service:{{args.svc}}}' },
      ["test: 'metrics[error-rate].query' is '{{args.svc}}': refers to an arg the template does not declare; declare 'svc' in the template's args or fix the name"]],
  ])('GIVEN %s WHEN checked THEN the problem names the metric, field, value and fix (metricproviders/datadog/datadog.go, validateIncomingProps)', (_, props, messages) => {
    expect(datadog(props).problems(scope, [{ name: 'service-name' }])).toEqual(messages);
  });
});
