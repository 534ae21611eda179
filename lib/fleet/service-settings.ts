import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Routing } from './routing';
import { SecretKeyRef } from '../analysis/analysis-arg';

/**
 * Autoscaling of a service. When set, a HorizontalPodAutoscaler owns the replica count
 * and the Rollout emits none, so Argo CD never fights the autoscaler.
 */
export interface AutoscalingSettings {
  /**
   * The fewest replicas the autoscaler keeps.
   * @default 2
   */
  readonly minReplicas?: number;
  /** The most replicas the autoscaler may create. */
  readonly maxReplicas: number;
  /**
   * The average CPU utilization, in percent of the request, the autoscaler aims for.
   * @default 70
   */
  readonly cpuUtilizationPercent?: number;
}

/**
 * The settings of a service that an environment may override.
 * They merge in this order, later winning: built-in defaults, the environment's defaults,
 * the service's settings, the service's override for that environment.
 */
export interface ServiceSettings {
  /**
   * Pod replicas when no autoscaler is set.
   * @default 3
   */
  readonly replicas?: number;
  /**
   * Autoscaling; replaces `replicas`.
   * @default - no autoscaler
   */
  readonly autoscaling?: AutoscalingSettings;
  /**
   * CPU and memory requests and limits of the service container.
   * @default - cpu request 100m, memory request and limit 256Mi, no cpu limit
   */
  readonly resources?: kplus.ContainerResources;
  /**
   * The canary traffic weights, in percent, each followed by an analysis run; after the last one the
   * Rollout promotes fully.
   * @default [10, 50]
   */
  readonly canaryWeights?: number[];
  /**
   * The lowest share of non-5xx canary responses that passes analysis, between 0 and 1.
   * @default 0.99
   */
  readonly minSuccessRate?: number;
  /**
   * The highest p99 latency of the canary that passes analysis.
   * @default - latency is not measured
   */
  readonly maxLatency?: Duration;
  /**
   * The requests per second the service takes at full traffic. `npm run plan` uses it to check that
   * each analysis window holds enough canary requests to judge the success-rate threshold.
   * @default - not declared; the plan warns that it cannot check
   */
  readonly expectedRequestRate?: number;
  /**
   * How traffic reaches the canary.
   * @default Routing.replicas()
   */
  readonly routing?: Routing;
  /**
   * Plain configuration, as environment variables from a ConfigMap the chart creates. The ConfigMap's
   * name carries a hash of its content, so a change rolls out as a canary like an image change.
   * @default - none
   */
  readonly config?: Record<string, string>;
  /**
   * Environment variables from Secrets that exist in the cluster (created by External Secrets, Sealed
   * Secrets or an operator), by variable name. Secret values never appear in `dist/`.
   * @default - none
   */
  readonly secretEnv?: Record<string, SecretKeyRef>;
  /**
   * How often the analysis measures, and the PromQL rate window.
   * @default Duration.minutes(1)
   */
  readonly analysisInterval?: Duration;
  /**
   * How many measurements each analysis step takes.
   * @default 5
   */
  readonly analysisCount?: number;
}

/** Settings with every default filled in. */
export interface ResolvedServiceSettings {
  readonly replicas: number;
  readonly autoscaling?: AutoscalingSettings;
  readonly resources: kplus.ContainerResources;
  readonly canaryWeights: number[];
  readonly minSuccessRate: number;
  readonly maxLatency?: Duration;
  readonly expectedRequestRate?: number;
  readonly routing: Routing;
  readonly config: Record<string, string>;
  readonly secretEnv: Record<string, SecretKeyRef>;
  readonly analysisInterval: Duration;
  readonly analysisCount: number;
}

const DEFAULT_SETTINGS: ResolvedServiceSettings = {
  replicas: 3,
  resources: {
    cpu: { request: kplus.Cpu.millis(100) },
    memory: { request: Size.mebibytes(256), limit: Size.mebibytes(256) },
  },
  canaryWeights: [10, 50],
  minSuccessRate: 0.99,
  routing: Routing.replicas(),
  config: {},
  secretEnv: {},
  analysisInterval: Duration.minutes(1),
  analysisCount: 5,
};

/** Merges settings layers over the built-in defaults, later layers winning field by field. */
export function resolveSettings(...layers: (ServiceSettings | undefined)[]): ResolvedServiceSettings {
  let resolved = DEFAULT_SETTINGS;
  for (const layer of layers) {
    if (!layer) continue;
    const defined = Object.fromEntries(Object.entries(layer).filter(([, value]) => value !== undefined));
    resolved = { ...resolved, ...defined };
  }
  return resolved;
}
