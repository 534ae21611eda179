import { Duration } from 'cdk8s';
import { fail } from '../errors/problem';
import { goDuration } from '../private/durations';
import { PORT_NAME_RULE, isPortName } from '../private/names';
import { AnalysisArg } from './analysis-arg';
import { ComparisonOptions, ResolvedComparison, comparisonQuery, criticalZ, resolveComparison } from './canary-comparison';
import { DEFAULT_ANALYSIS_INTERVAL } from './metric';
import { PrometheusMetric, ThresholdMetric } from './prometheus-metric';
import { DataPolicy, Threshold, Verdict } from './threshold';

/**
 * The Prometheus label carrying a pod's `rollouts-pod-template-hash`. The PodMonitor of each service
 * copies the pod label to this target label, which is how app-metric queries see only canary pods.
 */
export const CANARY_HASH_LABEL = 'rollouts_pod_template_hash';

/** Standard deviations of a Poisson error count taken off it before it is compared: a one-sided 97.7% bound. */
export const ERROR_COUNT_Z = 2;

/** The name of the canary-against-stable comparison metric ({@link canaryComparisonMetric}), by which readers of `dist/` find it. */
export const COMPARISON_METRIC_NAME = 'error-rate-vs-stable';

/** The args the presets declare; the Rollout fills them in. */
export const PRESET_ARGS = {
  /** The pod template hash of the canary ReplicaSet, from `podTemplateHashValue: Latest`. */
  canaryHash: 'canary-hash',
  /** The name of the Service that selects canary pods. */
  canaryService: 'canary-service',
  /** The pod template hash of the stable ReplicaSet, from `podTemplateHashValue: Stable`. */
  stableHash: 'stable-hash',
  /** The name of the Service that selects stable pods. */
  stableService: 'stable-service',
  /** The namespace the canary runs in. */
  namespace: 'namespace',
} as const;

/** Where request metrics come from, and how to select the canary's own requests in them. */
export class MetricSource {
  /**
   * The app's own `http_requests_total{code}` counter and `http_request_duration_seconds` histogram,
   * scoped to canary pods by their pod template hash. Works with any router, and without one.
   */
  public static readonly APP = new MetricSource({
    requests: 'http_requests_total',
    durationBuckets: 'http_request_duration_seconds_bucket',
    serverErrors: 'code=~"5.."',
    selector: `namespace="{{args.${PRESET_ARGS.namespace}}}",${CANARY_HASH_LABEL}="{{args.${PRESET_ARGS.canaryHash}}}"`,
    stableSelector: `namespace="{{args.${PRESET_ARGS.namespace}}}",${CANARY_HASH_LABEL}="{{args.${PRESET_ARGS.stableHash}}}"`,
    args: [PRESET_ARGS.canaryHash, PRESET_ARGS.namespace],
    stableArgs: [PRESET_ARGS.stableHash],
    durationUnit: 'seconds',
  });

  /**
   * Istio's standard metrics for the requests the VirtualService sends to the canary Service
   * (host-level traffic splitting), as the calling proxies report them. Only the caller knows which
   * Service it chose: the canary pods sit behind the entry Service too, and a destination proxy
   * reports one of a pod's Services by creation order (istio/istio#33940), so `reporter="destination"`
   * would count the canary's requests under the entry Service and find none. Argo Rollouts' own Istio
   * example queries `reporter="source"` for the same reason. Istio reports durations in milliseconds.
   */
  public static readonly ISTIO = MetricSource.istio('source');

  /**
   * Istio's standard metrics in ambient mode, as the waypoint that applies the VirtualService reports
   * them. Without sidecars no proxy reports `reporter="source"`: ztunnel counts TCP connections and
   * bytes only (istio/ztunnel src/proxy/metrics.rs, Metrics::new). istiod configures a waypoint's stats
   * filter as SERVER_GATEWAY (istio/istio pilot/pkg/model/telemetry.go, generateStatsConfig), which
   * reports `reporter="waypoint"` and takes destination_service_name and _namespace from the Service of
   * the cluster the route chose (istio/proxy source/extensions/filters/http/istio_stats/istio_stats.cc);
   * that cluster carries the one Service it was built for (pilot/pkg/networking/core/cluster_waypoint.go,
   * buildWaypointInboundVIPCluster; cluster_builder.go, addTelemetryMetadata, for a Service of another
   * waypoint), so the canary Service is told from stable as a calling sidecar tells it.
   */
  public static readonly ISTIO_WAYPOINT = MetricSource.istio('waypoint');

  /**
   * ingress-nginx's controller metrics for the requests it sends to the canary. ingress-nginx labels
   * a canary request with the stable Ingress and Service and names the canary upstream in the `canary`
   * label (rootfs/etc/nginx/lua/monitor.lua reads `proxy_alternative_upstream_name`, which balancer.lua
   * sets when it picks the canary backend): `<namespace>-<service>-<port>`, the port as the Ingress
   * backend refers to it, its number or else its name (internal/ingress/controller/util.go, upstreamName).
   * Argo Rollouts copies the stable Ingress's backend into the canary Ingress and changes only the
   * Service name (v1.9.1 rollout/trafficrouting/nginx/nginx.go, canaryIngress), so `backendPort` is the
   * stable Ingress's. The object's namespace is `exported_namespace`, because prometheus-operator's
   * default `honorLabels: false` renames the controller's own `namespace` label.
   *
   * @param backendPort the Service port as the Ingress backend refers to it: `service.port.number`, or
   * `service.port.name` when it refers to the port by name
   */
  public static nginx(backendPort: number | string): MetricSource {
    const valid = typeof backendPort === 'number'
      ? Number.isInteger(backendPort) && backendPort >= 1 && backendPort <= 65535
      : isPortName(backendPort);
    if (!valid) {
      fail({
        at: 'MetricSource.nginx', field: 'backendPort', value: backendPort,
        rule: `must be the Ingress backend's service port as the Ingress refers to it: a number from 1 to 65535, or a name of ${PORT_NAME_RULE}`,
        fix: 'pass service.port.number of the Ingress backend, or service.port.name when it names the port',
      });
    }
    const ns = `{{args.${PRESET_ARGS.namespace}}}`;
    return new MetricSource({
      requests: 'nginx_ingress_controller_requests',
      durationBuckets: 'nginx_ingress_controller_request_duration_seconds_bucket',
      serverErrors: 'status=~"5.."',
      selector: `exported_namespace="${ns}",canary="${ns}-{{args.${PRESET_ARGS.canaryService}}}-${backendPort}"`,
      // The stable requests: those to the stable Service that balancer.lua did not send to the canary.
      stableSelector: `exported_namespace="${ns}",service="{{args.${PRESET_ARGS.stableService}}}",canary=""`,
      args: [PRESET_ARGS.canaryService, PRESET_ARGS.namespace],
      stableArgs: [PRESET_ARGS.stableService],
      durationUnit: 'seconds',
    });
  }

  /** Istio's standard metrics of the requests sent to the canary or stable Service, as `reporter` reports them. */
  private static istio(reporter: 'source' | 'waypoint'): MetricSource {
    const service = (arg: string) =>
      `reporter="${reporter}",destination_service_namespace="{{args.${PRESET_ARGS.namespace}}}",destination_service_name="{{args.${arg}}}"`;
    return new MetricSource({
      requests: 'istio_requests_total',
      durationBuckets: 'istio_request_duration_milliseconds_bucket',
      serverErrors: 'response_code=~"5.."',
      selector: service(PRESET_ARGS.canaryService),
      stableSelector: service(PRESET_ARGS.stableService),
      args: [PRESET_ARGS.canaryService, PRESET_ARGS.namespace],
      stableArgs: [PRESET_ARGS.stableService],
      durationUnit: 'milliseconds',
    });
  }

  private constructor(private readonly source: {
    readonly requests: string;
    readonly durationBuckets: string;
    readonly serverErrors: string;
    readonly selector: string;
    readonly stableSelector: string;
    readonly args: readonly string[];
    readonly stableArgs: readonly string[];
    readonly durationUnit: 'seconds' | 'milliseconds';
  }) {}

  /** The template args this source's queries refer to. */
  public get args(): AnalysisArg[] {
    return this.source.args.map(name => ({ name }));
  }

  /** The arg names this source's queries refer to. */
  public get argNames(): readonly string[] {
    return this.source.args;
  }

  /** The arg names the canary-against-stable comparison refers to: the canary's and the stable version's. */
  public get comparisonArgNames(): readonly string[] {
    return [...this.source.args, ...this.source.stableArgs];
  }

  /**
   * The comparison of the canary against the stable version over the same `window`, counted per scrape
   * interval `step`; see {@link comparisonQuery} for the statistic and why it returns exactly one sample.
   */
  public comparisonQuery(window: string, step: string, options: ResolvedComparison): string {
    const { requests, serverErrors, selector, stableSelector } = this.source;
    return comparisonQuery({ requests, serverErrors, canary: selector, stable: stableSelector }, window, step, options);
  }

  /**
   * The canary's share of non-5xx responses over `window`, its errors counted at their lower confidence
   * bound (errors − 2·√errors, about 97.7% one-sided for a Poisson count). A few errors, at low or high
   * traffic, then cannot fail a measurement by chance: with a plain ratio, a healthy canary at 0.1%
   * errors and a 99.5% threshold aborted 6% of the releases `npm run simulate` replayed, and none with
   * the bound, while a release at 20% errors still fails at once. No traffic at all gives 0/0 = NaN, which
   * the data policy decides, and no series gives an empty result.
   */
  public successRateQuery(window: string): string {
    const { requests, selector, serverErrors } = this.source;
    // A 5xx counter that never fired does not exist: without `or vector(0)` a healthy canary returns nothing.
    const errors = `(sum(increase(${requests}{${selector},${serverErrors}}[${window}])) or vector(0))`;
    return [
      `1 - clamp_min(${errors} - ${ERROR_COUNT_Z} * sqrt(${errors}), 0)`,
      `/ sum(increase(${requests}{${selector}}[${window}]))`,
    ].join('\n');
  }

  /** The canary's latency quantile over `window`, in this source's unit. */
  public latencyQuery(quantile: number, window: string): string {
    return `histogram_quantile(${quantile}, sum by (le) (rate(${this.source.durationBuckets}{${this.source.selector}}[${window}])))`;
  }

  /** `duration` in the unit this source reports durations in. */
  public durationValue(duration: Duration): number {
    return this.source.durationUnit === 'milliseconds' ? duration.toMilliseconds() : duration.toMilliseconds() / 1000;
  }
}

/** Options shared by the presets. */
export interface PresetOptions {
  /** The Prometheus server's base URL. */
  readonly address: string;
  /**
   * Time between measurements.
   * @default Duration.minutes(1)
   */
  readonly interval?: Duration;
  /**
   * The PromQL rate window; it should span at least four scrapes.
   * @default - the interval
   */
  readonly window?: Duration;
  /**
   * Wait before the first measurement: a counter needs two scrapes after the canary's first requests
   * before rate() sees them, so at least two scrape intervals plus a margin.
   * @default - measure at once
   */
  readonly initialDelay?: Duration;
  /**
   * Measurements per analysis run.
   * @default 5
   */
  readonly count?: number;
  /**
   * Verdicts for empty, NaN and infinite results.
   * @default - every one fails (fail-closed)
   */
  readonly dataPolicy?: DataPolicy;
  /**
   * Inconclusive measurements a run tolerates before it pauses the Rollout.
   * @default 0
   */
  readonly inconclusiveLimit?: number;
}

/** Options of {@link successRateMetric}. */
export interface SuccessRateOptions extends PresetOptions {
  /** The lowest share of non-5xx responses that passes, between 0 and 1. */
  readonly minSuccessRate: number;
}

/** Options of {@link latencyMetric}. */
export interface LatencyOptions extends PresetOptions {
  /** The highest latency at the quantile that passes. */
  readonly maxLatency: Duration;
  /**
   * The quantile measured, between 0 and 1.
   * @default 0.99
   */
  readonly quantile?: number;
}

/**
 * The canary's HTTP success rate. No traffic at all gives 0/0 = NaN, which the data policy decides.
 */
export function successRateMetric(source: MetricSource, options: SuccessRateOptions): ThresholdMetric {
  const interval = options.interval ?? DEFAULT_ANALYSIS_INTERVAL;
  const window = options.window ?? interval;
  return new PrometheusMetric({
    name: 'success-rate',
    address: options.address,
    query: source.successRateQuery(goDuration(window)),
    interval,
    initialDelay: options.initialDelay,
    count: options.count,
    threshold: Threshold.atLeast(options.minSuccessRate, options.dataPolicy),
  });
}

/**
 * The canary's latency quantile, compared in the unit the source reports (Istio: milliseconds).
 * No traffic gives NaN and an unbounded quantile +Inf, both of which the data policy decides.
 */
export function latencyMetric(source: MetricSource, options: LatencyOptions): ThresholdMetric {
  const interval = options.interval ?? DEFAULT_ANALYSIS_INTERVAL;
  const window = options.window ?? interval;
  const quantile = options.quantile ?? 0.99;
  if (!(quantile > 0 && quantile < 1)) {
    fail({ at: 'latencyMetric', field: 'quantile', value: quantile, rule: 'must be between 0 and 1, exclusive', fix: 'use a quantile such as 0.99' });
  }
  return new PrometheusMetric({
    name: `latency-p${Math.round(quantile * 1000) / 10}`,
    address: options.address,
    query: source.latencyQuery(quantile, goDuration(window)),
    interval,
    initialDelay: options.initialDelay,
    count: options.count,
    inconclusiveLimit: options.inconclusiveLimit,
    threshold: Threshold.atMost(source.durationValue(options.maxLatency), options.dataPolicy),
  });
}

/** Options of {@link canaryComparisonMetric}. */
export interface CanaryComparisonOptions extends Omit<PresetOptions, 'dataPolicy'> {
  /** The statistical test: false-abort budget, number of measurements, data floor, tolerance, ceiling. */
  readonly comparison: ComparisonOptions;
  /**
   * How often Prometheus scrapes the queried metrics: the comparison counts each scrape interval's
   * increments, and only those in which the canary took requests.
   */
  readonly scrapeInterval: Duration;
  /**
   * The fewest conclusive measurements a run needs to succeed. The metric's `inconclusiveLimit` is
   * `count − minConclusive`: in v1.9.1 analysis/analysis.go (assessMetricFailureInconclusiveOrError) a
   * metric turns Inconclusive, and the Rollout pauses (rollout/analysis.go, reconcileStepBasedAnalysisRun:
   * PauseReasonInconclusiveAnalysis), once `Inconclusive > inconclusiveLimit`; and it is Successful once
   * `Count >= count` within the limits (assessMetricStatus), Inconclusive measurements counted in `Count`.
   * So a run that succeeds had at least `minConclusive` conclusive measurements, and thin data pauses.
   * @default - half the count, rounded up
   */
  readonly minConclusive?: number;
}

/**
 * The canary judged against the stable version over the same window (see {@link comparisonQuery}):
 * Failed when its error rate is significantly above the stable one's tolerance, or when at least half
 * of its requests failed; Inconclusive below the data floor (the query returns NaN); Successful
 * otherwise. The controller compares one number with `z_crit = Φ⁻¹(1 − α/m)`.
 */
export function canaryComparisonMetric(source: MetricSource, options: CanaryComparisonOptions): ThresholdMetric {
  const interval = options.interval ?? DEFAULT_ANALYSIS_INTERVAL;
  const window = options.window ?? interval;
  const count = options.count ?? 5;
  const comparison = resolveComparison(options.comparison);
  // A count that is not a positive integer is reported by the metric itself (Metric.problems, field 'count').
  const validCount = Number.isInteger(count) && count >= 1;
  const minConclusive = options.minConclusive ?? (validCount ? Math.ceil(count / 2) : 1);
  if (validCount && !(Number.isInteger(minConclusive) && minConclusive >= 1 && minConclusive <= count)) {
    fail({ at: 'canaryComparisonMetric', field: 'minConclusive', value: minConclusive, rule: `must be an integer from 1 to count (${count})`, fix: 'require e.g. half the measurements' });
  }
  return new PrometheusMetric({
    name: COMPARISON_METRIC_NAME,
    address: options.address,
    query: source.comparisonQuery(goDuration(window), goDuration(options.scrapeInterval), comparison),
    interval,
    initialDelay: options.initialDelay,
    count,
    inconclusiveLimit: validCount ? count - minConclusive : undefined,
    // NaN is the data floor (Inconclusive, never Failed); +Inf the ceiling (Failed). The query always
    // returns one sample, so an empty result means a broken query or server: Inconclusive, a pause.
    threshold: Threshold.atMost(criticalZ(comparison.alpha, comparison.measurements), {
      onNaN: Verdict.INCONCLUSIVE, onEmpty: Verdict.INCONCLUSIVE, onInf: Verdict.FAIL,
    }),
  });
}
