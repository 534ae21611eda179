import { Chart, Duration, Testing } from 'cdk8s';
import { AnalysisArg, PrometheusAuth, PrometheusMetric, PrometheusMetricProps, Threshold, Verdict } from '../../../lib/analysis';

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
    ['a failure limit not below count', { count: 3, failureLimit: 3 }, [],
      ["test: 'metrics[m].failureLimit' is 3: must be below count (3), or no number of failures can abort the rollout; lower failureLimit below 3"]],
    ['count below failureLimit + consecutiveSuccessLimit', { count: 4, failureLimit: 1, consecutiveSuccessLimit: 4 }, [],
      ["test: 'metrics[m].consecutiveSuccessLimit' is 4: count (4) must be at least failureLimit + consecutiveSuccessLimit (5); raise count to 5 or lower the limits"]],
    ['an inconclusive limit above count', { count: 2, inconclusiveLimit: 3 }, [],
      ["test: 'metrics[m].inconclusiveLimit' is 3: must be below count (2), or a metric whose every measurement is inconclusive passes; lower inconclusiveLimit below 2"]],
    ['an inconclusive limit equal to count', { count: 3, inconclusiveLimit: 3 }, [],
      ["test: 'metrics[m].inconclusiveLimit' is 3: must be below count (3), or a metric whose every measurement is inconclusive passes; lower inconclusiveLimit below 3"]],
    ['a consecutive success limit of 0', { consecutiveSuccessLimit: 0 }, [],
      ["test: 'metrics[m].consecutiveSuccessLimit' is 0: must be an integer of at least 1; remove it to run every measurement"]],
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
      ["test: 'metrics[m].threshold' is null: must be a finite number; compare with a finite bound"]],
  ])('GIVEN %s WHEN checked THEN the problem names the metric, field, value and fix', (_, props, args, messages) => {
    expect(metric(props).problems(scope, args)).toEqual(messages);
  });
});
