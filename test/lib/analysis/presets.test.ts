import { Duration } from 'cdk8s';
import {
  canaryComparisonMetric, latencyMetric, longestRangeSeconds, MetricSource, promqlSyntaxError, referencedArgs, successRateMetric, Verdict,
} from '../../../lib/analysis';

const ADDRESS = 'http://prometheus:9090';
const SOURCES = [
  ['app', MetricSource.APP], ['istio', MetricSource.ISTIO], ['nginx', MetricSource.nginx(80)],
  ['istio waypoint', MetricSource.ISTIO_WAYPOINT], ['nginx named-port', MetricSource.nginx('http')],
] as const;

describe('presets', () => {
  test.each(SOURCES)('GIVEN the %s success rate WHEN built THEN it parses, guards the 5xx numerator and measures over one interval', (_, source) => {
    const metric = successRateMetric(source, { address: ADDRESS, minSuccessRate: 0.99, interval: Duration.seconds(30) });
    expect(promqlSyntaxError(metric.query)).toBeUndefined();
    expect(metric.query).toContain('or vector(0)');
    // The 5xx count twice (the count and its square root) and the total.
    expect(metric.query.match(/\[30s\]/g)).toHaveLength(3);
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
    expect(bound(MetricSource.ISTIO_WAYPOINT)).toBe(250);
    expect(bound(MetricSource.nginx(80))).toBe(0.25);
    expect(MetricSource.ISTIO.latencyQuery(0.99, '1m')).toContain('istio_request_duration_milliseconds_bucket');
  });

  test('GIVEN each source WHEN its selector is read THEN it selects the canary\'s own requests as that system labels them', () => {
    expect(MetricSource.APP.successRateQuery('1m')).toContain('rollouts_pod_template_hash="{{args.canary-hash}}"');
    // Only the calling proxy knows it chose the canary Service (istio/istio#33940).
    expect(MetricSource.ISTIO.successRateQuery('1m'))
      .toContain('reporter="source",destination_service_namespace="{{args.namespace}}",destination_service_name="{{args.canary-service}}"');
    // ingress-nginx names the canary upstream <namespace>-<service>-<port> in `canary`; `service` is the stable one.
    const nginx = MetricSource.nginx(80).successRateQuery('1m');
    expect(nginx).toContain('exported_namespace="{{args.namespace}}",canary="{{args.namespace}}-{{args.canary-service}}-80"');
    expect(nginx).not.toContain('service="{{args.canary-service}}"');
  });

  test('GIVEN Istio in ambient mode WHEN its selectors are read THEN both the canary and the stable Service are selected as the waypoint reports them', () => {
    // istio/proxy istio_stats.cc: a SERVER_GATEWAY (waypoint) stats filter sets reporter="waypoint" and the routed Service's name and namespace.
    const options = { address: ADDRESS, comparison: { measurements: 10 }, scrapeInterval: Duration.seconds(15) };
    const query = canaryComparisonMetric(MetricSource.ISTIO_WAYPOINT, options).query;
    expect(promqlSyntaxError(query)).toBeUndefined();
    // The subquery steps at the queried metrics' own scrape interval, over the window (the interval, 1m by default).
    expect(query).toContain('offset 15s');
    expect(query).toContain('[1m:15s]');
    expect(query).toContain('istio_requests_total{reporter="waypoint",destination_service_namespace="{{args.namespace}}",destination_service_name="{{args.canary-service}}",response_code=~"5.."}');
    expect(query).toContain('istio_requests_total{reporter="waypoint",destination_service_namespace="{{args.namespace}}",destination_service_name="{{args.stable-service}}"}');
    expect(query).not.toContain('reporter="source"');
    expect(MetricSource.ISTIO_WAYPOINT.comparisonArgNames).toEqual(MetricSource.ISTIO.comparisonArgNames);
  });

  test.each<[string, number | string, string]>([
    ['a port number', 8080, 'canary="{{args.namespace}}-{{args.canary-service}}-8080"'],
    // ingress-nginx internal/ingress/controller/util.go, upstreamName: the name when the backend refers to the port by name.
    ['a port name', 'http', 'canary="{{args.namespace}}-{{args.canary-service}}-http"'],
  ])('GIVEN an Ingress backend that refers to %s WHEN the nginx comparison is built THEN it parses and selects exactly that canary upstream', (_, port, canary) => {
    const options = { address: ADDRESS, comparison: { measurements: 10 }, scrapeInterval: Duration.seconds(10) };
    const query = canaryComparisonMetric(MetricSource.nginx(port), options).query;
    expect(promqlSyntaxError(query)).toBeUndefined();
    expect(query).toContain(`nginx_ingress_controller_requests{exported_namespace="{{args.namespace}}",${canary},status=~"5.."}`);
    expect(query).toContain('nginx_ingress_controller_requests{exported_namespace="{{args.namespace}}",service="{{args.stable-service}}",canary=""}');
    expect(query).not.toContain('canary=~');
  });

  test.each<[number | string]>([[0], [65536], [80.5], [''], ['HTTP'], ['8080'], ['http-for-the-shop'], ['-http']])(
    'GIVEN the backend port %j WHEN the nginx source is built THEN it throws one line naming the field and the fix', port => {
      const value = typeof port === 'string' ? `'${port}'` : String(port);
      expect(() => MetricSource.nginx(port)).toThrow(
        `MetricSource.nginx: 'backendPort' is ${value}: must be the Ingress backend's service port as the Ingress refers to it: a number from 1 to 65535, `
        + "or a name of at most 15 lowercase letters, digits and single inner '-', with a letter; pass service.port.number of the Ingress backend, or service.port.name when it names the port",
      );
    });

  test('GIVEN a success rate WHEN its query is built THEN errors count at their lower confidence bound, and no traffic stays NaN', () => {
    const metric = successRateMetric(MetricSource.APP, { address: ADDRESS, minSuccessRate: 0.99, interval: Duration.seconds(30) });
    const errors = '(sum(increase(http_requests_total{namespace="{{args.namespace}}",rollouts_pod_template_hash="{{args.canary-hash}}",code=~"5.."}[30s])) or vector(0))';
    expect(metric.query.split('\n')).toEqual([
      `1 - clamp_min(${errors} - 2 * sqrt(${errors}), 0)`,
      '/ sum(increase(http_requests_total{namespace="{{args.namespace}}",rollouts_pod_template_hash="{{args.canary-hash}}"}[30s]))',
    ]);
    expect(promqlSyntaxError(metric.query)).toBeUndefined();
  });

  test('GIVEN a window and an initial delay WHEN a preset is built THEN the query reads the window and the metric waits', () => {
    const metric = latencyMetric(MetricSource.APP, {
      address: ADDRESS,
      maxLatency: Duration.millis(500),
      interval: Duration.seconds(30),
      window: Duration.minutes(2),
      initialDelay: Duration.seconds(25),
    });
    expect(longestRangeSeconds(metric.query)).toBe(120);
    expect(metric.interval.toSeconds()).toBe(30);
    expect(metric.initialDelay?.toSeconds()).toBe(25);
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
