import * as kplus from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
// The strategies import only types from this module, so these imports form no cycle at run time.
import * as ro from '../../imports/rollout-argoproj.io';
import { BlueGreenStrategy, BlueGreenStrategyProps } from './blue-green-strategy';
import { CanaryStrategy, CanaryStrategyProps } from './canary-strategy';
import type { ControllerOwnedField } from './traffic-router';

/** Labels and annotations the controller puts on the pods of one version only while a release runs. */
export interface EphemeralMetadata {
  /**
   * Labels.
   * @default - none
   */
  readonly labels?: Record<string, string>;
  /**
   * Annotations.
   * @default - none
   */
  readonly annotations?: Record<string, string>;
}

/** What a Rollout needs to know of its pods to check a strategy. */
export interface StrategyTarget extends IConstruct {
  /** The desired pods, or undefined when an autoscaler owns the count. */
  readonly desiredReplicas?: number;
  /** The labels of the Rollout's pods. */
  readonly podLabels: Record<string, string>;
}

/** How a Rollout replaces its pods. */
export interface IRolloutStrategy {
  /** The Services the controller rewrites selectors of; each must select the Rollout's pods. */
  readonly services: readonly kplus.Service[];
  /** Problems with this strategy for `rollout`, each naming the Rollout and the field. */
  problems(rollout: StrategyTarget): string[];
  /** Facts a reviewer should know, e.g. the real canary share of a replica-based canary. */
  notes(rollout: StrategyTarget): string[];
  /** Fields of other objects the controller writes at run time. */
  controllerOwnedFields(): ControllerOwnedField[];
  /** Annotations the strategy records on the Rollout for reviewers, e.g. an accepted risk. */
  readonly annotations: Readonly<Record<string, string>>;
  /**
   * The strategy as the Rollout L1 takes it.
   * @internal
   */
  _toStrategy(): ro.RolloutSpecStrategy;
}

/** The strategies a Rollout can use. */
export class RolloutStrategy {
  /** Shifts a growing share of traffic to the new version, step by step, measuring it on the way. */
  public static canary(props: CanaryStrategyProps): CanaryStrategy {
    return new CanaryStrategy(props);
  }

  /** Runs the new version beside the old one behind a preview Service, then switches all traffic at once. */
  public static blueGreen(props: BlueGreenStrategyProps): BlueGreenStrategy {
    return new BlueGreenStrategy(props);
  }

  private constructor() {}
}
