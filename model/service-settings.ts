import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { SecretKeyRef } from '../lib/analysis/analysis-arg';
import { CANARY_SERVICE_DEFAULTS, CanaryAutoscaling, CanaryServiceProps } from '../lib/patterns/canary-service';
import { Routing } from '../lib/patterns/routing';

/**
 * The settings of a service that an environment may override: the {@link CanaryServiceProps} the
 * fleet decides per environment, documented there with their defaults. They merge in this order, later
 * winning: built-in defaults, the environment's defaults, the service's settings, the service's
 * override for that environment. `notSecret` goes with the `config` of its layer.
 */
export type ServiceSettings = Pick<CanaryServiceProps,
  | 'replicas' | 'autoscaling' | 'resources' | 'canaryWeights' | 'minSuccessRate' | 'maxLatency' | 'expectedRequestRate'
  | 'routing' | 'config' | 'secretEnv' | 'notSecret' | 'analysisInterval' | 'analysisCount' | 'scrapeInterval' | 'routerScrapeInterval'>;

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
  /** The opt-outs of the layer whose `config` won: each reason stays with the keys it was written for. */
  readonly notSecret: Readonly<Record<string, string>>;
  readonly analysisInterval: Duration;
  /** Unset: the pattern derives it from the declared request rate (CanaryServiceProps.analysisCount). */
  readonly analysisCount?: number;
  /** Unset: the pattern's default (CanaryServiceProps.scrapeInterval). */
  readonly scrapeInterval?: Duration;
  /** How often the mesh's or ingress controller's metrics are scraped; unset: as the app's (CanaryServiceProps.routerScrapeInterval). */
  readonly routerScrapeInterval?: Duration;
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
  notSecret: {},
  analysisInterval: CANARY_SERVICE_DEFAULTS.analysisInterval,
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
      // A layer's config replaces the one before it whole, and its opt-outs with it.
      notSecret: defined.config ? defined.notSecret ?? {} : merged.notSecret,
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
