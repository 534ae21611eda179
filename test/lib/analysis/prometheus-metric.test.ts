import { Chart, Duration, Testing } from 'cdk8s';
import { AnalysisArg, ConditionExpression, isThresholdMetric, PrometheusAuth, PrometheusMetric, PrometheusMetricProps, Threshold, Verdict } from '../../../lib/analysis';

const scope = new Chart(Testing.app(), 'test');
const metric = (props: Partial<PrometheusMetricProps> = {}) =>
  new PrometheusMetric({ name: 'm', address: 'http://p:9090', query: 'sum(up)', threshold: Threshold.atLeast(1), ...props });
const TOKEN_ARG: AnalysisArg = { name: 'token', secretKeyRef: { name: 'prom', key: 'token' } };

describe('PrometheusMetric', () => {
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
      ["test: 'metrics[m].threshold.success' is 'result[0] >= 0.99': indexes the result, which errors on an empty result instead of judging it; use all(result, {...}) or any(result, {...}) with a len(result) guard"]],
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
