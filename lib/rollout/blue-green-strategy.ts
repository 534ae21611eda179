import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as ro from '../../imports/rollout-argoproj.io';
import { problemAt } from '../errors/problem';
import { seconds, wholeSecondsProblems } from '../private/durations';
import { AnalysisRunProps } from './analysis-run';
import { AntiAffinity } from './anti-affinity';
import { analysisRunProblems, toAnalysis } from './private/analysis-run';
import type { ControllerOwnedField, EphemeralMetadata, IRolloutStrategy, StrategyTarget } from './strategy-target';

/** Properties of a blue-green strategy. */
export interface BlueGreenStrategyProps {
  /** The Service clients call; the controller points it at the new version on promotion. */
  readonly activeService: kplus.Service;
  /** The Service that reaches the new version before promotion, for tests and pre-promotion analysis. */
  readonly previewService: kplus.Service;
  /**
   * Promote without a human once the new version is ready (and its pre-promotion analysis passed).
   * @default true
   */
  readonly autoPromotion?: boolean;
  /**
   * With auto-promotion, how long the new version waits, ready, before promotion.
   * @default - promote as soon as it is ready
   */
  readonly autoPromotionDelay?: Duration;
  /**
   * Analysis of the preview before the switch; a failure aborts and the active version never changes.
   * @default - none
   */
  readonly prePromotionAnalysis?: AnalysisRunProps;
  /**
   * Analysis after the switch; a failure switches traffic back while the old pods still run.
   * @default - none
   */
  readonly postPromotionAnalysis?: AnalysisRunProps;
  /**
   * How long the old version keeps running after the switch, so a failed post-promotion analysis can switch back.
   * @default - Argo Rollouts' default of 30 seconds
   */
  readonly scaleDownDelay?: Duration;
  /**
   * Pods the preview runs before promotion.
   * @default - the Rollout's full replica count
   */
  readonly previewReplicaCount?: number;
  /**
   * Metadata the active pods carry.
   * @default - none
   */
  readonly activeMetadata?: EphemeralMetadata;
  /**
   * Metadata the preview pods carry.
   * @default - none
   */
  readonly previewMetadata?: EphemeralMetadata;
  /**
   * Keep new pods off the old pods' nodes.
   * @default - no anti-affinity
   */
  readonly antiAffinity?: AntiAffinity;
}

/** A blue-green strategy: the new version runs beside the old one, then takes all traffic at once. */
export class BlueGreenStrategy implements IRolloutStrategy {
  public readonly activeService: kplus.Service;
  public readonly previewService: kplus.Service;
  public readonly autoPromotion: boolean;
  private readonly autoPromotionDelay?: Duration;
  private readonly scaleDownDelay?: Duration;
  private readonly previewReplicaCount?: number;
  private readonly prePromotionAnalysis?: AnalysisRunProps;
  private readonly postPromotionAnalysis?: AnalysisRunProps;
  private readonly activeMetadata?: EphemeralMetadata;
  private readonly previewMetadata?: EphemeralMetadata;
  private readonly antiAffinity?: AntiAffinity;

  constructor(props: BlueGreenStrategyProps) {
    this.activeService = props.activeService;
    this.previewService = props.previewService;
    this.autoPromotion = props.autoPromotion ?? true;
    this.autoPromotionDelay = props.autoPromotionDelay;
    this.scaleDownDelay = props.scaleDownDelay;
    this.previewReplicaCount = props.previewReplicaCount;
    this.prePromotionAnalysis = props.prePromotionAnalysis;
    this.postPromotionAnalysis = props.postPromotionAnalysis;
    this.activeMetadata = props.activeMetadata;
    this.previewMetadata = props.previewMetadata;
    this.antiAffinity = props.antiAffinity;
  }

  public get services(): kplus.Service[] {
    return [this.activeService, this.previewService];
  }

  public problems(scope: StrategyTarget): string[] {
    const problems: string[] = [];
    const problem = (field: string, value: unknown, rule: string, fix: string) => problems.push(problemAt(scope, field, value, rule, fix));
    if (this.activeService.name === this.previewService.name) {
      problem('previewService', this.previewService.name, 'must differ from activeService: the controller rewrites both selectors', 'use two Services, e.g. <name> and <name>-preview');
    }
    if (this.autoPromotionDelay && !this.autoPromotion) {
      problem('autoPromotionDelay', `${seconds(this.autoPromotionDelay)}s`, 'has no effect when autoPromotion is false', 'remove autoPromotionDelay or enable autoPromotion');
    }
    problems.push(...wholeSecondsProblems(scope, 'autoPromotionDelay', this.autoPromotionDelay));
    problems.push(...wholeSecondsProblems(scope, 'scaleDownDelay', this.scaleDownDelay));
    const preview = this.previewReplicaCount;
    if (preview !== undefined && !(Number.isInteger(preview) && preview >= 1)) problem('previewReplicaCount', preview, 'must be an integer of at least 1', 'remove it to preview with the full replica count');
    if (this.prePromotionAnalysis) problems.push(...analysisRunProblems(scope, 'prePromotionAnalysis', this.prePromotionAnalysis, { mustEnd: true }));
    if (this.postPromotionAnalysis) problems.push(...analysisRunProblems(scope, 'postPromotionAnalysis', this.postPromotionAnalysis, { mustEnd: true }));
    if (this.autoPromotion && !this.prePromotionAnalysis && !this.postPromotionAnalysis) {
      problem('autoPromotion', true, 'promotes the new version to all traffic with no analysis measuring it', 'add prePromotionAnalysis or postPromotionAnalysis, or set autoPromotion: false');
    }
    problems.push(...this.antiAffinity?.problems(scope) ?? []);
    return problems;
  }

  public readonly annotations = {};

  public notes(): string[] {
    return [];
  }

  public controllerOwnedFields(): ControllerOwnedField[] {
    return [];
  }

  /** @internal */
  public _toStrategy(): ro.RolloutSpecStrategy {
    const { prePromotionAnalysis: pre, postPromotionAnalysis: post } = this;
    return {
      blueGreen: {
        activeService: this.activeService.name,
        previewService: this.previewService.name,
        autoPromotionEnabled: this.autoPromotion,
        autoPromotionSeconds: this.autoPromotionDelay && seconds(this.autoPromotionDelay),
        prePromotionAnalysis: pre && toAnalysis(pre),
        postPromotionAnalysis: post && toAnalysis(post),
        scaleDownDelaySeconds: this.scaleDownDelay && seconds(this.scaleDownDelay),
        previewReplicaCount: this.previewReplicaCount,
        activeMetadata: this.activeMetadata,
        previewMetadata: this.previewMetadata,
        antiAffinity: this.antiAffinity?._toJson(),
      },
    };
  }
}
