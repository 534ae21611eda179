import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as ro from '../../imports/rollout-argoproj.io';
import { problemAt } from '../errors/problem';
import { seconds, wholeSecondsProblems } from '../private/durations';
import { requireFields } from '../private/required';
import { AnalysisRunProps } from './analysis-run';
import { AntiAffinity } from './anti-affinity';
import { ACCEPT_UNMEASURED_ANNOTATION } from './canary-strategy';
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
  /**
   * Why auto-promotion without any analysis is accepted, as in the upstream example
   * (examples/helm-blue-green/templates/rollout.yaml); recorded on the Rollout as the annotation
   * `infra-delivery.io/accept-unmeasured`, listed by `npm run plan` and flagged by `npm run review`.
   * @default - auto-promotion needs a pre- or post-promotion analysis
   */
  readonly acceptUnmeasured?: string;
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
  private readonly acceptUnmeasured?: string;

  constructor(props: BlueGreenStrategyProps) {
    if (props.prePromotionAnalysis) requireFields('blue-green strategy.prePromotionAnalysis', props.prePromotionAnalysis, ['templates']);
    if (props.postPromotionAnalysis) requireFields('blue-green strategy.postPromotionAnalysis', props.postPromotionAnalysis, ['templates']);
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
    this.acceptUnmeasured = props.acceptUnmeasured;
  }

  public get annotations(): Record<string, string> {
    return this.acceptUnmeasured === undefined ? {} : { [ACCEPT_UNMEASURED_ANNOTATION]: this.acceptUnmeasured };
  }

  /** The Services given; a caller that cast the types away may have left one out, which {@link problems} reports. */
  public get services(): kplus.Service[] {
    return [this.activeService, this.previewService].filter((s): s is kplus.Service => s !== undefined);
  }

  public problems(scope: StrategyTarget): string[] {
    const problems: string[] = [];
    const problem = (field: string, value: unknown, rule: string, fix: string) => problems.push(problemAt(scope, field, value, rule, fix));
    const missing = (['activeService', 'previewService'] as const).filter(f => this[f] === undefined);
    // A caller that cast the types away may have left a Service out: a problem, not a TypeError.
    if (missing.includes('activeService')) problem('activeService', undefined, 'is required: it is the service the controller points at the new version on promotion', 'pass the service clients call');
    if (missing.includes('previewService')) {
      problem('previewService', undefined, 'is required here, though the controller treats it as optional: without it the new version cannot be reached or analysed before promotion',
        'pass a service for the preview pods, e.g. <name>-preview');
    }
    if (missing.length === 0 && this.activeService.name === this.previewService.name) {
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
    const unmeasured = this.autoPromotion && !this.prePromotionAnalysis && !this.postPromotionAnalysis;
    if (this.acceptUnmeasured !== undefined) {
      if (!this.acceptUnmeasured.trim()) {
        problem('acceptUnmeasured', this.acceptUnmeasured, 'must give the reason an unmeasured promotion is accepted', 'write the reason, e.g. \'internal tool; smoke-tested by hand in staging\'');
      } else if (!unmeasured) {
        problem('acceptUnmeasured', this.acceptUnmeasured, 'accepts an unmeasured promotion but the promotion is analysed or manual', 'remove acceptUnmeasured');
      }
    } else if (unmeasured) {
      problem('autoPromotion', true, 'promotes the new version to all traffic with no analysis measuring it', 'add prePromotionAnalysis or postPromotionAnalysis, set autoPromotion: false, or acceptUnmeasured with the reason');
    }
    problems.push(...this.antiAffinity?.problems(scope) ?? []);
    return problems;
  }

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
        activeService: this.activeService?.name,
        previewService: this.previewService?.name,
        // Omitted when true, the controller's default (pkg/apis/rollouts/v1alpha1/types.go, AutoPromotionEnabled).
        autoPromotionEnabled: this.autoPromotion ? undefined : false,
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
