import { Chart, Duration, Testing } from 'cdk8s';
import { AnalysisTemplate, CloudWatchMetric, CloudWatchMetricProps, CloudWatchQuery, ConditionExpression } from '../../../lib/analysis';
import { validationProblems } from '../../../lib/errors';

const scope = new Chart(Testing.app(), 'test');
const CONDITION = ConditionExpression.of({ success: 'len(result[0].Values) >= 5 and all(result[0].Values, {# <= 0.01})', reason: 'the upstream template: five points of the rate, all under 1%' });
const stat = (metricName: string): CloudWatchQuery => ({ id: metricName, metricStat: { namespace: 'app', metricName, period: Duration.minutes(5), stat: 'Sum', unit: 'Count' }, returnData: false });
const cloudWatch = (props: Partial<CloudWatchMetricProps> = {}) => new CloudWatchMetric({
  name: 'success-rate', condition: CONDITION, metricDataQueries: [{ id: 'rate', expression: 'errors / requests' }, stat('errors'), stat('requests')], ...props,
});

describe('CloudWatchMetric', () => {
  test('GIVEN the template of the upstream cloudwatch docs WHEN synthesized THEN it matches the upstream snippet field by field', () => {
    // argo-rollouts v1.9.1 docs/analysis/cloudwatch.md:
    //   metrics:
    //   - name: success-rate
    //     interval: 1m
    //     successCondition: "len(result[0].Values) >= 5 and all(result[0].Values, {# <= 0.01})"
    //     failureLimit: 3
    //     provider:
    //       cloudWatch:
    //         interval: 30m
    //         metricDataQueries:
    //         - { "id": "rate", "expression": "errors / requests" }
    //         - { "id": "errors", "metricStat": { "metric": { "namespace": "app", "metricName": "errors" },
    //             "period": 300, "stat": "Sum", "unit": "Count" }, "returnData": false }
    //         - { "id": "requests", "metricStat": { "metric": { "namespace": "app", "metricName": "requests" },
    //             "period": 300, "stat": "Sum", "unit": "Count" }, "returnData": false }
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    new AnalysisTemplate(chart, 'T', {
      metadata: { name: 'success-rate' },
      metrics: [cloudWatch({ interval: Duration.minutes(1), count: Infinity, failureLimit: 3, window: Duration.minutes(30) })],
    });
    expect(validationProblems(app)).toEqual([]);
    const [json] = Testing.synth(chart);
    const metricStat = (metricName: string) => ({ metric: { namespace: 'app', metricName }, period: 300, stat: 'Sum', unit: 'Count' });
    // consecutiveErrorLimit 4 is the controller's own default, written out (utils/defaults/defaults.go).
    expect(json.spec.metrics).toEqual([{
      name: 'success-rate', interval: '1m', successCondition: 'len(result[0].Values) >= 5 and all(result[0].Values, {# <= 0.01})', failureLimit: 3, consecutiveErrorLimit: 4,
      provider: { cloudWatch: {
        interval: '30m',
        metricDataQueries: [
          { id: 'rate', expression: 'errors / requests' },
          { id: 'errors', metricStat: metricStat('errors'), returnData: false },
          { id: 'requests', metricStat: metricStat('requests'), returnData: false },
        ],
      } },
    }]);
    expect(json.metadata.annotations).toEqual({ 'infra-delivery.io/reviewed-conditions': JSON.stringify({ 'success-rate': 'the upstream template: five points of the rate, all under 1%' }) });
  });

  test('GIVEN dimensions and an arg WHEN rendered THEN dimensions are name/value pairs and the arg must be declared', () => {
    const m = cloudWatch({ metricDataQueries: [{ id: 'p99', metricStat: { namespace: 'AWS/ApplicationELB', metricName: 'TargetResponseTime', dimensions: { LoadBalancer: '{{args.alb}}' }, stat: 'p99', period: Duration.minutes(1) } }] });
    expect(m._toMetric().provider.cloudWatch?.metricDataQueries[0].metricStat?.metric?.dimensions).toEqual([{ name: 'LoadBalancer', value: '{{args.alb}}' }]);
    expect(m.problems(scope, [{ name: 'alb' }])).toEqual([]);
    expect(m.problems(scope, [])).toEqual([
      "test: 'metrics[success-rate].metricDataQueries' is '{{args.alb}}': refers to an arg the template does not declare; declare 'alb' in the template's args or fix the name",
    ]);
  });

  test.each<[string, CloudWatchQuery[], string[]]>([
    ['no query', [], ["test: 'metrics[success-rate].metricDataQueries' is []: needs at least one query; add a query with a metricStat"]],
    ['an id starting uppercase', [{ ...stat('Errors'), returnData: true }],
      ["test: 'metrics[success-rate].metricDataQueries[0].id' is 'Errors': must start with a lowercase letter, then letters, digits and '_'; rename it, e.g. 'errors'"]],
    ['both expression and metricStat', [{ ...stat('errors'), expression: 'x', returnData: true }],
      ["test: 'metrics[success-rate].metricDataQueries[0]' is 'errors': needs exactly one of expression and metricStat; give a metricStat to read a metric, or an expression over other ids"]],
    ['duplicate ids, none returning data', [stat('errors'), stat('errors')], [
      "test: 'metrics[success-rate].metricDataQueries[].id' is 'errors': ids must be unique within the metric; rename one of the queries",
      "test: 'metrics[success-rate].metricDataQueries[].returnData' is false: no query returns data, so the result is empty; let the query the condition judges return data",
    ]],
    ['a sub-second period', [{ id: 'rate', expression: 'x', period: Duration.millis(500) }],
      ["test: 'metrics[success-rate].metricDataQueries[0].period' is '0.5s': must be a whole number of seconds of at least 1; set period with Duration.seconds(n) or Duration.minutes(n)"]],
  ])('GIVEN %s WHEN checked THEN the problem names the metric, field, value and fix', (_, metricDataQueries, messages) => {
    expect(cloudWatch({ metricDataQueries }).problems(scope, [])).toEqual(messages);
  });
});
