import * as kplus from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import * as ro from '../../imports/rollout-argoproj.io';

/** A field the rollout controller writes at run time, which Argo CD must leave alone. */
export interface ControllerOwnedField {
  /** The API group of the kind. */
  readonly group: string;
  /** The kind. */
  readonly kind: string;
  /** The object's name. */
  readonly name: string;
  /** JSON pointers to the fields. */
  readonly jsonPointers: string[];
}

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
