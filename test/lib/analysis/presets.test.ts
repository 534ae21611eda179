import { Duration } from 'cdk8s';
import { latencyMetric, MetricSource, promqlSyntaxError, referencedArgs, successRateMetric, Verdict } from '../../../lib/analysis';

const ADDRESS = 'http://prometheus:9090';
const SOURCES = [['app', MetricSource.APP], ['istio', MetricSource.ISTIO], ['nginx', MetricSource.NGINX]] as const;

describe('presets', () => {
  test.each(SOURCES)('GIVEN the %s success rate WHEN built THEN it parses, guards the 5xx numerator and measures over one interval', (_, source) => {
    const metric = successRateMetric(source, { address: ADDRESS, minSuccessRate: 0.99, interval: Duration.seconds(30) });
    expect(promqlSyntaxError(metric.query)).toBeUndefined();
    expect(metric.query).toContain('or vector(0)');
    expect(metric.query.match(/\[30s\]/g)).toHaveLength(2);
    expect(referencedArgs(metric.query).sort()).toEqual([...source.argNames].sort());
    expect(metric.threshold.describe()).toBe('>= 0.99 (empty: Failed, NaN: Failed, Inf: Failed)');
    expect(metric._toMetric()).toMatchSnapshot();
  });

  test.each(SOURCES)('GIVEN the %s latency WHEN built THEN it parses and takes the p99 over one interval', (_, source) => {
    const metric = latencyMetric(source, { address: ADDRESS, maxLatency: Duration.millis(250) });
    expect(promqlSyntaxError(metric.query)).toBeUndefined();
    expect(metric.query).toMatch(/^histogram_quantile\(0\.99, sum by \(le\) \(rate\(\w+_bucket\{.*\}\[1m\]\)\)\)$/);
    expect(metric.name).toBe('latency-p99');
    expect(metric._toMetric()).toMatchSnapshot();
  });

  test('GIVEN a latency bound WHEN compared THEN Istio compares milliseconds and the others seconds', () => {
    const bound = (source: MetricSource) => latencyMetric(source, { address: ADDRESS, maxLatency: Duration.millis(250) }).threshold.bound;
    expect(bound(MetricSource.ISTIO)).toBe(250);
    expect(bound(MetricSource.APP)).toBe(0.25);
    expect(bound(MetricSource.NGINX)).toBe(0.25);
    expect(MetricSource.ISTIO.latencyQuery(0.99, '1m')).toContain('istio_request_duration_milliseconds_bucket');
  });

  test('GIVEN each source WHEN its selector is read THEN it selects the canary\'s own requests, not the whole service', () => {
    expect(MetricSource.APP.successRateQuery('1m')).toContain('rollouts_pod_template_hash="{{args.canary-hash}}"');
    expect(MetricSource.ISTIO.successRateQuery('1m')).toContain('destination_service_name="{{args.canary-service}}"');
    expect(MetricSource.NGINX.successRateQuery('1m')).toContain('service="{{args.canary-service}}"');
  });

  test('GIVEN a data policy WHEN passed THEN the threshold uses it', () => {
    const metric = successRateMetric(MetricSource.APP, { address: ADDRESS, minSuccessRate: 0.99, dataPolicy: { onNaN: Verdict.INCONCLUSIVE } });
    expect(metric.threshold.onNaN).toBe(Verdict.INCONCLUSIVE);
  });

  test('GIVEN a quantile outside (0, 1) WHEN built THEN it throws with the fix', () => {
    expect(() => latencyMetric(MetricSource.APP, { address: ADDRESS, maxLatency: Duration.seconds(1), quantile: 99 }))
      .toThrow("latencyMetric: 'quantile' is 99: must be between 0 and 1, exclusive; use a quantile such as 0.99");
  });
});
