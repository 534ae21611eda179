import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { SecretKeyRef } from '../analysis/analysis-arg';
import { CANARY_SERVICE_DEFAULTS, CanaryAutoscaling } from '../patterns/canary-service';
import { Routing } from '../patterns/routing';

/**
 * Autoscaling of a service. When set, a HorizontalPodAutoscaler owns the replica count
 * and the Rollout emits none, so Argo CD never fights the autoscaler.
 */
export type AutoscalingSettings = CanaryAutoscaling;

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
  readonly canaryWeights?: readonly number[];
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

/** Settings with every default filled in, the autoscaler's included. */
export interface ResolvedServiceSettings {
  readonly replicas: number;
  readonly autoscaling?: Required<CanaryAutoscaling>;
  readonly resources: kplus.ContainerResources;
  readonly canaryWeights: readonly number[];
  readonly minSuccessRate: number;
  readonly maxLatency?: Duration;
  readonly expectedRequestRate?: number;
  readonly routing: Routing;
  readonly config: Readonly<Record<string, string>>;
  readonly secretEnv: Readonly<Record<string, SecretKeyRef>>;
  readonly analysisInterval: Duration;
  readonly analysisCount: number;
}

/** The built-in layer: the canary service pattern's own defaults. */
const DEFAULT_SETTINGS: Omit<ResolvedServiceSettings, 'autoscaling'> = {
  replicas: CANARY_SERVICE_DEFAULTS.replicas,
  resources: CANARY_SERVICE_DEFAULTS.resources,
  canaryWeights: CANARY_SERVICE_DEFAULTS.canaryWeights,
  minSuccessRate: CANARY_SERVICE_DEFAULTS.minSuccessRate,
  routing: CANARY_SERVICE_DEFAULTS.routing,
  config: {},
  secretEnv: {},
  analysisInterval: CANARY_SERVICE_DEFAULTS.analysisInterval,
  analysisCount: CANARY_SERVICE_DEFAULTS.analysisCount,
};

/**
 * Merges settings layers over the built-in defaults, later layers winning field by field; the
 * autoscaler's fields and the cpu and memory resources merge one level deeper, so overriding one of
 * them keeps the others.
 */
export function resolveSettings(...layers: (ServiceSettings | undefined)[]): ResolvedServiceSettings {
  let merged: ServiceSettings = DEFAULT_SETTINGS;
  for (const layer of layers) {
    if (!layer) continue;
    const defined: ServiceSettings = Object.fromEntries(Object.entries(layer).filter(([, value]) => value !== undefined));
    merged = {
      ...merged,
      ...defined,
      autoscaling: merged.autoscaling && defined.autoscaling
        ? { ...merged.autoscaling, ...defined.autoscaling }
        : defined.autoscaling ?? merged.autoscaling,
      resources: defined.resources ? mergeResources(merged.resources, defined.resources) : merged.resources,
    };
  }
  const { autoscaling, ...rest } = merged as ResolvedServiceSettings;
  return { ...rest, ...autoscaling ? { autoscaling: { ...CANARY_SERVICE_DEFAULTS.autoscaling, ...autoscaling } } : {} };
}

function mergeResources(base: kplus.ContainerResources | undefined, layer: kplus.ContainerResources): kplus.ContainerResources {
  return {
    ...base,
    ...layer,
    cpu: base?.cpu || layer.cpu ? { ...base?.cpu, ...layer.cpu } : undefined,
    memory: base?.memory || layer.memory ? { ...base?.memory, ...layer.memory } : undefined,
  };
}
