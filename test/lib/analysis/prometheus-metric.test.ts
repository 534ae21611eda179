import { Chart, Duration, Testing } from 'cdk8s';
import { AnalysisArg, AnalysisTemplate, ConditionExpression, isThresholdMetric, PrometheusAuth, PrometheusMetric, PrometheusMetricProps, RangeTime, Threshold, Verdict } from '../../../lib/analysis';
import { validationProblems } from '../../../lib/errors';

const scope = new Chart(Testing.app(), 'test');
const metric = (props: Partial<PrometheusMetricProps> = {}) =>
  new PrometheusMetric({ name: 'm', address: 'http://p:9090', query: 'sum(up)', threshold: Threshold.atLeast(1), ...props });
const TOKEN_ARG: AnalysisArg = { name: 'token', secretKeyRef: { name: 'prom', key: 'token' } };

/** A metric as plain JSON, the generated L1's wrapper objects (count, limits) unwrapped. */
const plain = (m: PrometheusMetric) => JSON.parse(JSON.stringify(m._toMetric(), (_, v) => (v && typeof v === 'object' && 'value' in v && Object.keys(v).length === 1 ? v.value : v)));

describe('PrometheusMetric', () => {
  test('GIVEN the success-rate template of the upstream analysis docs, result[0] and all, with acceptIndexedResult WHEN synthesized THEN it matches the upstream snippet field by field and records the opt-out', () => {
    // argo-rollouts v1.9.1 docs/features/analysis.md, "Background Analysis":
    //   metrics:
    //   - name: success-rate
    //     interval: 5m
    //     # NOTE: prometheus queries return results in the form of a vector.
    //     # So it is common to access the index 0 of the returned array to obtain the value
    //     successCondition: result[0] >= 0.95
    //     failureLimit: 3
    //     provider:
    //       prometheus:
    //         address: http://prometheus.example.com:9090
    //         query: |
    //           sum(irate(
    //             istio_requests_total{reporter="source",destination_service=~"{{args.service-name}}",response_code!~"5.*"}[5m]
    //           )) /
    //           sum(irate(
    //             istio_requests_total{reporter="source",destination_service=~"{{args.service-name}}"}[5m]
    //           ))
    const query = 'sum(irate(\n  istio_requests_total{reporter="source",destination_service=~"{{args.service-name}}",response_code!~"5.*"}[5m]\n)) /\n'
      + 'sum(irate(\n  istio_requests_total{reporter="source",destination_service=~"{{args.service-name}}"}[5m]\n))\n';
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    new AnalysisTemplate(chart, 'T', {
      metadata: { name: 'success-rate' },
      args: [{ name: 'service-name' }],
      metrics: [new PrometheusMetric({
        name: 'success-rate', interval: Duration.minutes(5), count: Infinity, failureLimit: 3,
        address: 'http://prometheus.example.com:9090', query,
        threshold: ConditionExpression.of({ success: 'result[0] >= 0.95', reason: 'the upstream template', acceptIndexedResult: 'the query sums to one series; no traffic is an error, not a pass' }),
      })],
    });
    expect(validationProblems(app)).toEqual([]);
    const [json] = Testing.synth(chart);
    expect(json.spec.args).toEqual([{ name: 'service-name' }]);
    // Beside the upstream fields, the controller's own defaults are written out: consecutiveErrorLimit 4
    // (utils/defaults/defaults.go) and a 30 s query timeout (metricproviders/prometheus/prometheus.go).
    expect(json.spec.metrics).toEqual([{
      name: 'success-rate', interval: '5m', successCondition: 'result[0] >= 0.95', failureLimit: 3, consecutiveErrorLimit: 4,
      provider: { prometheus: { address: 'http://prometheus.example.com:9090', query, timeout: 30 } },
    }]);
    expect(json.metadata.annotations['infra-delivery.io/accepted-rules']).toBe(JSON.stringify({ 'success-rate/indexed-result': 'the query sums to one series; no traffic is an error, not a pass' }));
  });

  test('GIVEN the range query of the upstream prometheus docs, its start from an arg WHEN synthesized THEN it matches the upstream snippet field by field', () => {
    // argo-rollouts v1.9.1 docs/analysis/prometheus.md, "Range queries":
    //   - name: lookback-duration
    //     value: 5m
    //   ...
    //     successCondition: "all(result, # < 1000)"
    //     failureLimit: 3
    //     provider:
    //       prometheus:
    //         rangeQuery:
    //           start: 'now() - duration("{{args.lookback-duration}}")'
    //           end: 'now()'
    //           step: 1m
    //         address: http://prometheus.example.com:9090
    //         query: http_latency_ms{service="{{args.service-name}}"}
    const m = metric({
      name: 'success-rate', count: Infinity, failureLimit: 3, address: 'http://prometheus.example.com:9090', query: 'http_latency_ms{service="{{args.service-name}}"}',
      threshold: ConditionExpression.of({ success: 'all(result, # < 1000)', reason: 'the upstream template' }),
      rangeQuery: { start: RangeTime.expression('now() - duration("{{args.lookback-duration}}")'), end: RangeTime.ago(Duration.seconds(0)), step: Duration.minutes(1) },
    });
    expect(m.problems(scope, [{ name: 'service-name' }, { name: 'lookback-duration', value: '5m' }])).toEqual([]);
    expect(m.referencedArgs).toEqual(['service-name', 'lookback-duration']);
    expect(plain(m).provider.prometheus).toEqual({
      rangeQuery: { start: 'now() - duration("{{args.lookback-duration}}")', end: 'now()', step: '1m' },
      address: 'http://prometheus.example.com:9090', query: 'http_latency_ms{service="{{args.service-name}}"}', timeout: 30,
    });
    expect(plain(m).successCondition).toBe('all(result, # < 1000)');
  });

  test('GIVEN range bounds given as strings by a caller that cast the types away, and a bad expression WHEN checked and rendered THEN each is a problem, not a TypeError', () => {
    const cast = { start: '5m', end: 'now()', step: '1m' } as unknown as PrometheusMetricProps['rangeQuery'];
    const m = metric({ rangeQuery: cast });
    expect(m.problems(scope, [])).toEqual([
      "test: 'metrics[m].rangeQuery.start' is '5m': must be a Duration or a RangeTime; give a Duration before now, or RangeTime.expression('now() - duration(\"{{args.NAME}}\")')",
      "test: 'metrics[m].rangeQuery.end' is 'now()': must be a Duration or a RangeTime; give a Duration before now, or RangeTime.expression('now() - duration(\"{{args.NAME}}\")')",
      "test: 'metrics[m].rangeQuery.step' is '1m': must be a Duration; give the resolution as a Duration, e.g. Duration.minutes(1)",
    ]);
    expect(plain(m).provider.prometheus.rangeQuery).toEqual({ start: '5m', end: 'now()', step: '1m' });
    const bad = metric({ rangeQuery: { start: RangeTime.expression('now() - duration("{{args.x}}"'), step: Duration.minutes(1) } });
    expect(bad.problems(scope, [{ name: 'x' }])).toEqual([
      "test: 'metrics[m].rangeQuery.start' is 'now() - duration(\"{{args.x}}\"': is not an expr-lang time expression: expects ')' at the end; give a Duration before now, or RangeTime.expression('now() - duration(\"{{args.NAME}}\")')",
    ]);
  });

  test('GIVEN every option WHEN rendered THEN limits, headers and authentication are emitted as Argo Rollouts reads them', () => {
    const m = metric({
      interval: Duration.seconds(30), count: 10, failureLimit: 1, inconclusiveLimit: 2, consecutiveErrorLimit: 3, consecutiveSuccessLimit: 4,
      initialDelay: Duration.minutes(1), timeout: Duration.seconds(10),
      headers: { 'Authorization': 'Bearer {{args.token}}', 'X-Scope-OrgID': 'shop' },
      authentication: PrometheusAuth.sigv4({ region: 'eu-west-1' }),
      threshold: Threshold.atMost(0.5, { onNaN: Verdict.INCONCLUSIVE }),
    });
    expect(m.problems(scope, [TOKEN_ARG])).toEqual([]);
    expect(m.referencedArgs).toEqual(['token']);
    expect(m._toMetric()).toMatchObject({
      interval: '30s', initialDelay: '1m',
      failureCondition: 'len(result) == 0 || any(result, {(!isNaN(#) && !isInf(#) && !(# <= 0.5)) || isInf(#)})',
    });
    const json = JSON.parse(JSON.stringify(m._toMetric(), (_, v) => (v && typeof v === 'object' && 'value' in v && Object.keys(v).length === 1 ? v.value : v)));
    expect(json).toMatchObject({
      count: 10, failureLimit: 1, inconclusiveLimit: 2, consecutiveErrorLimit: 3, consecutiveSuccessLimit: 4,
      provider: { prometheus: {
        timeout: 10,
        headers: [{ key: 'Authorization', value: 'Bearer {{args.token}}' }, { key: 'X-Scope-OrgID', value: 'shop' }],
        authentication: { sigv4: { region: 'eu-west-1' } },
      } },
    });
  });

  test.each<[string, Partial<PrometheusMetricProps>, AnalysisArg[], string[]]>([
    ['an inconclusive limit above count', { count: 2, inconclusiveLimit: 3 }, [],
      ["test: 'metrics[m].inconclusiveLimit' is 3: must not exceed count (2); lower inconclusiveLimit to 2 or less"]],
    ['a negative consecutive success limit', { consecutiveSuccessLimit: -1 }, [],
      ["test: 'metrics[m].consecutiveSuccessLimit' is -1: must be an integer of at least 0; remove it to run every measurement"]],
    ['a zero interval, which count > 1 cannot run with', { interval: Duration.seconds(0) }, [],
      ["test: 'metrics[m].interval' is '0s': must be a whole number of seconds of at least 1; set interval with Duration.seconds(n) or Duration.minutes(n)"]],
    ['a sub-second timeout', { timeout: Duration.millis(500) }, [],
      ["test: 'metrics[m].timeout' is '0.5s': must be a whole number of seconds of at least 1; set timeout with Duration.seconds(n) or Duration.minutes(n)"]],
    ['a fractional initial delay', { initialDelay: Duration.millis(1500) }, [],
      ["test: 'metrics[m].initialDelay' is '1.5s': must be a whole number of seconds of at least 0; set initialDelay with Duration.seconds(n) or Duration.minutes(n)"]],
    ['a literal credential header', { headers: { Authorization: 'Bearer abc' } }, [],
      ["test: 'metrics[m].headers.Authorization' is 'Bearer abc': carries a credential, which must not be written into dist/; declare an arg with secretKeyRef and use '{{args.NAME}}' as the value"]],
    ['a credential header from a plain arg', { headers: { 'X-Api-Key': '{{args.key}}' } }, [{ name: 'key', value: 'abc' }],
      ["test: 'metrics[m].headers.X-Api-Key' is '{{args.key}}': carries a credential, which must not be written into dist/; declare an arg with secretKeyRef and use '{{args.NAME}}' as the value"]],
    ['an oauth2 secret from a plain arg', { authentication: PrometheusAuth.oauth2({ tokenUrl: 'https://idp/token', clientId: 'argo', clientSecretArg: 'secret' }) }, [{ name: 'secret' }],
      ["test: 'metrics[m].authentication.clientSecretArg' is 'secret': carries a credential, which must not be written into dist/; declare 'secret' with a secretKeyRef"]],
    ['an infinite bound', { threshold: Threshold.atMost(Infinity) }, [],
      ["test: 'metrics[m].threshold' is Infinity: must be a finite number; compare with a finite bound"]],
    ['a range that ends before it starts', { rangeQuery: { start: Duration.minutes(5), end: Duration.minutes(10), step: Duration.minutes(1) } }, [],
      ["test: 'metrics[m].rangeQuery.end' is '10m': must be less far back than start (5m), or the range is empty; lower end or raise start"]],
    ['a sub-second range step', { rangeQuery: { start: Duration.minutes(5), step: Duration.millis(100) } }, [],
      ["test: 'metrics[m].rangeQuery.step' is '0.1s': must be a whole number of seconds of at least 1; set step with Duration.seconds(n) or Duration.minutes(n)"]],
    ['an expression that indexes the result', { threshold: ConditionExpression.of({ success: 'result[0] >= 0.99', reason: 'copied from the docs' }) }, [],
      ["test: 'metrics[m].threshold.success' is 'result[0] >= 0.99': indexes the result, which errors on an empty result instead of judging it; use all(result, {...}) or any(result, {...}) with a len(result) guard, or acceptIndexedResult with the reason"]],
    ['an expression with a typo', { threshold: ConditionExpression.of({ failure: 'any(reslt, {# > 0.1})', reason: 'error ratio' }) }, [],
      ["test: 'metrics[m].threshold.failure' is 'any(reslt, {# > 0.1})': is not an expr-lang condition: refers to 'reslt', which neither the controller nor expr-lang defines; fix the expression; see https://expr-lang.org/docs/language-definition"]],
    ['an expression without a reason or a condition', { threshold: ConditionExpression.of({ reason: ' ' }) }, [], [
      "test: 'metrics[m].threshold.reason' is ' ': must say why the typed conditions do not fit; write the reason a reviewer accepted",
      "test: 'metrics[m].threshold' is '(none)': needs a success or a failure expression, or every measurement passes; give success, failure or both",
    ]],
  ])('GIVEN %s WHEN checked THEN the problem names the metric, field, value and fix', (_, props, args, messages) => {
    expect(metric(props).problems(scope, args)).toEqual(messages);
  });

  test('GIVEN a range query, an insecure server and a SigV4 profile WHEN rendered THEN the fields Argo Rollouts documents are emitted', () => {
    const m = metric({
      rangeQuery: { start: Duration.minutes(10), step: Duration.minutes(1) },
      insecure: true,
      authentication: PrometheusAuth.sigv4({ region: 'us-east-1', profile: 'amp', roleArn: 'arn:aws:iam::1:role/amp' }),
    });
    expect(m.problems(scope, [])).toEqual([]);
    // The controller evaluates start and end as expr-lang time expressions (metricproviders/prometheus/prometheus.go, EvalTime).
    expect(m._toMetric().provider.prometheus).toMatchObject({
      insecure: true,
      rangeQuery: { start: 'now() - duration("10m")', end: 'now()', step: '1m' },
      authentication: { sigv4: { region: 'us-east-1', profile: 'amp', roleArn: 'arn:aws:iam::1:role/amp' } },
    });
    expect(metric()._toMetric().provider.prometheus).not.toHaveProperty('insecure', true);
  });

  test('GIVEN a typed threshold or an expression WHEN asked THEN only the typed one is a threshold metric this project can evaluate', () => {
    expect(isThresholdMetric(metric())).toBe(true);
    expect(isThresholdMetric(metric({ threshold: ConditionExpression.of({ success: 'len(result) > 0', reason: 'any answer' }) }))).toBe(false);
  });
});
