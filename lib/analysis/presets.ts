import { Duration } from 'cdk8s';
import { AnalysisArg } from './analysis-template';
import { PrometheusMetric } from './prometheus-metric';
import { DataPolicy, Threshold } from './threshold';
import { goDuration } from '../util/durations';

/**
 * The Prometheus label carrying a pod's `rollouts-pod-template-hash`. The PodMonitor of each service
 * copies the pod label to this target label, which is how the queries see only canary pods.
 */
export const CANARY_HASH_LABEL = 'rollouts_pod_template_hash';

/** The args every preset declares; the Rollout fills them in. */
export const PRESET_ARGS = {
  /** The pod template hash of the canary ReplicaSet, from `podTemplateHashValue: Latest`. */
  canaryHash: 'canary-hash',
  /** The namespace the canary runs in. */
  namespace: 'namespace',
} as const;

/** Options shared by the presets. */
export interface PresetOptions {
  /** The Prometheus server's base URL. */
  readonly address: string;
  /**
   * Time between measurements; also the PromQL rate window, so windows never overlap or leave gaps.
   * @default Duration.minutes(1)
   */
  readonly interval?: Duration;
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
}

/** Options of {@link appHttpSuccessRate}. */
export interface SuccessRateOptions extends PresetOptions {
  /** The lowest share of non-5xx responses that passes, between 0 and 1. */
  readonly minSuccessRate: number;
}

/** A preset: the metric and the args it refers to. */
export interface AnalysisPreset {
  readonly metric: PrometheusMetric;
  readonly args: AnalysisArg[];
}

/**
 * The canary's HTTP success rate from the app's own `http_requests_total{code}` counter, scoped to
 * canary pods by their pod template hash. It works with any router, or none.
 *
 * The 5xx numerator is wrapped in `or vector(0)`: a counter that never fired does not exist, and
 * without the guard a healthy canary would return an empty result. No traffic at all gives 0/0 = NaN,
 * which the data policy decides.
 */
export function appHttpSuccessRate(options: SuccessRateOptions): AnalysisPreset {
  const interval = options.interval ?? Duration.minutes(1);
  const window = goDuration(interval);
  const selector = `namespace="{{args.${PRESET_ARGS.namespace}}}",${CANARY_HASH_LABEL}="{{args.${PRESET_ARGS.canaryHash}}}"`;
  const query = [
    `1 - (sum(rate(http_requests_total{${selector},code=~"5.."}[${window}])) or vector(0))`,
    `/ sum(rate(http_requests_total{${selector}}[${window}]))`,
  ].join('\n');
  return {
    metric: new PrometheusMetric({
      name: 'success-rate',
      address: options.address,
      query,
      interval,
      count: options.count,
      threshold: Threshold.atLeast(options.minSuccessRate, options.dataPolicy),
    }),
    args: [{ name: PRESET_ARGS.canaryHash }, { name: PRESET_ARGS.namespace }],
  };
}
