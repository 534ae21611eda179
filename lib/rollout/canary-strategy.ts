import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as ro from '../../imports/rollout-argoproj.io';
import { problemAt } from '../errors/problem';
import { seconds, wholeSecondsProblems } from '../private/durations';
import { requireFields } from '../private/required';
import { AnalysisRunProps } from './analysis-run';
import { AntiAffinity } from './anti-affinity';
import { CanaryStep, MAX_TRAFFIC_WEIGHT, StepContext } from './canary-step';
import { analysisRunProblems, canFailRun, toAnalysis } from './private/analysis-run';
import { intOrPercent } from './private/int-or-percent';
import { replicaSplit, surgePods } from './replica-share';
import type { ControllerOwnedField, EphemeralMetadata, IRolloutStrategy, StrategyTarget } from './strategy-target';
import type { TrafficRouter } from './traffic-router';

/** The Rollout annotation recording why weights without a gate are accepted; `npm run plan` lists it. */
export const ACCEPT_UNMEASURED_ANNOTATION = 'infra-delivery.io/accept-unmeasured';

/** Analysis that runs beside the steps, from one step on, until the rollout completes. */
export interface BackgroundAnalysisProps extends AnalysisRunProps {
  /**
   * The index of the step the analysis starts at.
   * @default 0
   */
  readonly startingStep?: number;
}

/** Properties of a canary strategy. */
export interface CanaryStrategyProps {
  /**
   * The Service that selects stable pods; the controller pins its selector to the stable ReplicaSet.
   * Required by a router that sends traffic to two Services (Gateway API, ingress-nginx, Istio by host).
   * @default - none: a replica-based canary or Istio subsets need none
   */
  readonly stableService?: kplus.Service;
  /**
   * The Service that selects canary pods; the controller pins its selector to the canary ReplicaSet.
   * Required where stableService is.
   * @default - none
   */
  readonly canaryService?: kplus.Service;
  /** The steps, in order; after the last one the canary is promoted to stable. */
  readonly steps: CanaryStep[];
  /**
   * How traffic is split.
   * @default - by replica count: the canary's share of traffic is its share of the pods
   */
  readonly trafficRouter?: TrafficRouter;
  /**
   * The weight that counts as all traffic, for routers that allow another than 100 (Gateway API, ingress-nginx).
   * @default 100
   */
  readonly maxTrafficWeight?: number;
  /**
   * Analysis running beside the steps.
   * @default - only the analysis steps measure
   */
  readonly backgroundAnalysis?: BackgroundAnalysisProps;
  /**
   * Extra pods allowed above the desired count during an update.
   * @default kplus.PercentOrAbsolute.percent(25)
   */
  readonly maxSurge?: kplus.PercentOrAbsolute;
  /**
   * Pods allowed below the desired count during an update. Zero keeps full capacity through a release.
   * @default kplus.PercentOrAbsolute.absolute(0)
   */
  readonly maxUnavailable?: kplus.PercentOrAbsolute;
  /**
   * How long the canary keeps running after an abort, so that routers have moved traffic off it; needs a router.
   * @default - Argo Rollouts' default of 30 seconds
   */
  readonly abortScaleDownDelay?: Duration;
  /**
   * How long the old stable pods keep running after promotion, while routers move traffic; needs a router.
   * @default - Argo Rollouts' default of 30 seconds
   */
  readonly scaleDownDelay?: Duration;
  /**
   * Scale the stable pods down as the canary takes traffic, instead of keeping them all; needs a router
   * and excludes scaleDownDelay.
   * @default false
   */
  readonly dynamicStableScale?: boolean;
  /**
   * Metadata the canary pods carry while they are the canary.
   * @default - none
   */
  readonly canaryMetadata?: EphemeralMetadata;
  /**
   * Metadata the stable pods carry while they are stable.
   * @default - none
   */
  readonly stableMetadata?: EphemeralMetadata;
  /**
   * Keep canary pods off the stable pods' nodes.
   * @default - no anti-affinity
   */
  readonly antiAffinity?: AntiAffinity;
  /**
   * Why weights that neither an analysis nor a manual `CanaryStep.pause()` gates are accepted, e.g. a
   * service too quiet to measure; recorded on the Rollout as an annotation and shown by `npm run plan`.
   * @default - every weight above zero must be gated
   */
  readonly acceptUnmeasured?: string;
}

/** A canary strategy: shifts a growing share of traffic to the new version, measuring it on the way. */
export class CanaryStrategy implements IRolloutStrategy {
  public readonly steps: readonly CanaryStep[];
  public readonly stableService?: kplus.Service;
  public readonly canaryService?: kplus.Service;
  public readonly trafficRouter?: TrafficRouter;
  public readonly maxTrafficWeight: number;
  private readonly maxSurge: kplus.PercentOrAbsolute;
  private readonly maxUnavailable: kplus.PercentOrAbsolute;
  /** Whether maxTrafficWeight was set, which only some routers support. */
  private readonly maxTrafficWeightSet: boolean;
  private readonly scaleDownDelay?: Duration;
  private readonly abortScaleDownDelay?: Duration;
  private readonly dynamicStableScale?: boolean;
  private readonly background?: BackgroundAnalysisProps;
  /** The step background analysis starts at, the controller's default 0 filled in. */
  private readonly backgroundFrom?: number;
  private readonly canaryMetadata?: EphemeralMetadata;
  private readonly stableMetadata?: EphemeralMetadata;
  private readonly antiAffinity?: AntiAffinity;
  private readonly acceptUnmeasured?: string;

  constructor(props: CanaryStrategyProps) {
    requireFields('canary strategy', props, ['steps']);
    if (props.backgroundAnalysis) requireFields('canary strategy.backgroundAnalysis', props.backgroundAnalysis, ['templates']);
    this.steps = props.steps;
    this.stableService = props.stableService;
    this.canaryService = props.canaryService;
    this.trafficRouter = props.trafficRouter;
    this.maxTrafficWeight = props.maxTrafficWeight ?? MAX_TRAFFIC_WEIGHT;
    this.maxTrafficWeightSet = props.maxTrafficWeight !== undefined;
    this.maxSurge = props.maxSurge ?? kplus.PercentOrAbsolute.percent(25);
    this.maxUnavailable = props.maxUnavailable ?? kplus.PercentOrAbsolute.absolute(0);
    this.scaleDownDelay = props.scaleDownDelay;
    this.abortScaleDownDelay = props.abortScaleDownDelay;
    this.dynamicStableScale = props.dynamicStableScale;
    this.background = props.backgroundAnalysis;
    this.backgroundFrom = props.backgroundAnalysis && (props.backgroundAnalysis.startingStep ?? 0);
    this.canaryMetadata = props.canaryMetadata;
    this.stableMetadata = props.stableMetadata;
    this.antiAffinity = props.antiAffinity;
    this.acceptUnmeasured = props.acceptUnmeasured;
  }

  public get annotations(): Record<string, string> {
    return this.acceptUnmeasured === undefined ? {} : { [ACCEPT_UNMEASURED_ANNOTATION]: this.acceptUnmeasured };
  }

  public get services(): kplus.Service[] {
    return [this.stableService, this.canaryService].filter((s): s is kplus.Service => s !== undefined);
  }

  /** The managed routes the header and mirror steps use, which the controller must be told of. */
  public get managedRoutes(): string[] {
    return [...new Set(this.steps.map(s => s.routeName).filter((n): n is string => n !== undefined))];
  }

  public problems(scope: StrategyTarget): string[] {
    const router = this.trafficRouter;
    const context: StepContext = { router, maxTrafficWeight: this.maxTrafficWeight, podLabels: scope.podLabels };
    const problems = this.steps.flatMap((step, i) => step.problems(scope, i, context));
    const problem = (field: string, value: unknown, rule: string, fix: string) => problems.push(problemAt(scope, field, value, rule, fix));
    const { stableService: stable, canaryService: canary } = this;
    if (stable && canary && canary.name === stable.name) {
      problem('canaryService', canary.name, 'must differ from stableService: the controller rewrites both selectors', 'use two Services, e.g. <name>-canary and <name>-stable');
    }
    // Routers that send traffic to two Services need both (pkg/apis/rollouts/validation/validation.go, requireCanaryStableServices).
    const missing = router?.requiresServices ? (['stableService', 'canaryService'] as const).filter(f => this[f] === undefined) : [];
    for (const field of missing) {
      problem(field, undefined, `is required by the ${router!.displayName} router, which sends traffic to the stable and canary services`, `pass the service that selects the ${field.replace('Service', '')} pods`);
    }
    if (this.maxSurge.isZero() && this.maxUnavailable.isZero()) {
      problem('maxSurge', 0, 'maxSurge and maxUnavailable cannot both be zero, or no pod can ever be replaced', 'keep the default maxSurge of 25%');
    }
    if (this.maxTrafficWeightSet) {
      if (!router?.supportsMaxTrafficWeight) problem('maxTrafficWeight', this.maxTrafficWeight, 'works only with the gateway api or ingress-nginx router', 'remove maxTrafficWeight or use one of those routers');
      if (!Number.isInteger(this.maxTrafficWeight) || this.maxTrafficWeight < 1) problem('maxTrafficWeight', this.maxTrafficWeight, 'must be a positive integer', 'remove it to use 100');
    }
    const needsRouter = [
      ['scaleDownDelay', this.scaleDownDelay && `${seconds(this.scaleDownDelay)}s`],
      ['abortScaleDownDelay', this.abortScaleDownDelay && `${seconds(this.abortScaleDownDelay)}s`],
      ['dynamicStableScale', this.dynamicStableScale || undefined],
    ] as const;
    for (const [field, value] of needsRouter.filter(([, v]) => v !== undefined)) {
      if (!router) problem(field, value, 'works only with a traffic router: without one, pods are the traffic split', `remove ${field} or set a trafficRouter`);
    }
    problems.push(...wholeSecondsProblems(scope, 'scaleDownDelay', this.scaleDownDelay));
    problems.push(...wholeSecondsProblems(scope, 'abortScaleDownDelay', this.abortScaleDownDelay));
    if (this.dynamicStableScale && this.scaleDownDelay) {
      problem('dynamicStableScale', true, 'cannot be combined with scaleDownDelay', 'remove one of them');
    }
    if (router && missing.length === 0) problems.push(...router.problems(scope, { stable, canary }));
    if (this.background && this.backgroundFrom !== undefined) {
      problems.push(...analysisRunProblems(scope, 'analysis', this.background, { mustEnd: false }));
      const start = this.backgroundFrom;
      if (!Number.isInteger(start) || start < 0 || start >= Math.max(this.steps.length, 1)) {
        problem('analysis.startingStep', start, `must be the index of a step, from 0 to ${Math.max(this.steps.length - 1, 0)}`, 'start at the first setWeight step');
      }
    }
    problems.push(...this.antiAffinity?.problems(scope) ?? []);
    problems.push(...this.unmeasuredTrafficProblems(scope));
    return problems;
  }

  public notes(scope: StrategyTarget): string[] {
    const replicas = scope.desiredReplicas;
    if (this.trafficRouter || replicas === undefined) return [];
    const surge = surgePods(replicas, this.maxSurge.value);
    const shares = this.steps.map(s => s.weight).filter((w): w is number => w !== undefined && w > 0 && w < 100)
      .map(weight => {
        const split = replicaSplit(replicas, weight, surge);
        return `setWeight ${weight} runs ${split.canary} canary and ${split.stable} stable pods (${Math.round(split.share)}% of traffic)`;
      });
    return shares.length ? [`${scope.node.path}: no traffic router, so the canary's share is its share of ${replicas} replicas: ${shares.join('; ')}`] : [];
  }

  public controllerOwnedFields(): ControllerOwnedField[] {
    return this.trafficRouter?.controllerOwnedFields(this.managedRoutes.length > 0) ?? [];
  }

  /** @internal */
  public _toStrategy(): ro.RolloutSpecStrategy {
    const routes = this.managedRoutes;
    const background = this.background;
    return {
      canary: {
        stableService: this.stableService?.name,
        canaryService: this.canaryService?.name,
        maxSurge: intOrPercent(this.maxSurge, ro.RolloutSpecStrategyCanaryMaxSurge),
        maxUnavailable: intOrPercent(this.maxUnavailable, ro.RolloutSpecStrategyCanaryMaxUnavailable),
        trafficRouting: this.trafficRouter && {
          ...this.trafficRouter._toTrafficRouting(),
          maxTrafficWeight: this.maxTrafficWeightSet ? this.maxTrafficWeight : undefined,
          managedRoutes: routes.length ? routes.map(name => ({ name })) : undefined,
        },
        analysis: background && { ...toAnalysis(background), startingStep: background.startingStep },
        abortScaleDownDelaySeconds: this.abortScaleDownDelay && seconds(this.abortScaleDownDelay),
        scaleDownDelaySeconds: this.scaleDownDelay && seconds(this.scaleDownDelay),
        dynamicStableScale: this.dynamicStableScale,
        canaryMetadata: this.canaryMetadata,
        stableMetadata: this.stableMetadata,
        antiAffinity: this.antiAffinity?._toJson(),
        steps: this.steps.map(s => s._toStep()),
      },
    };
  }

  /**
   * Every weight above zero must be gated, by an analysis step, background analysis or a manual pause,
   * before the next weight or the final promotion, unless the strategy accepts it with a reason; a
   * canary without steps is promoted at once, ungated.
   */
  private unmeasuredTrafficProblems(scope: StrategyTarget): string[] {
    // Background analysis that cannot fail (every metric dry-run or unable to fail) gates nothing.
    const backgroundFrom = this.background && canFailRun(this.background) ? this.backgroundFrom : undefined;
    const ungated: { index: number; weight: number }[] = [];
    let open: { index: number; weight: number } | undefined;
    this.steps.forEach((step, index) => {
      if (step.weight !== undefined) {
        if (open) ungated.push(open);
        open = step.weight > 0 ? { index, weight: step.weight } : undefined;
      }
      if (step.gates || (backgroundFrom !== undefined && index >= backgroundFrom)) open = undefined;
    });
    if (open) ungated.push(open);
    const noSteps = this.steps.length === 0 && backgroundFrom === undefined;

    if (this.acceptUnmeasured !== undefined) {
      if (!this.acceptUnmeasured.trim()) {
        return [problemAt(scope, 'acceptUnmeasured', this.acceptUnmeasured, 'must give the reason ungated traffic is accepted', 'write the reason, e.g. \'too few requests to measure; watched on the dashboard\'')];
      }
      if (!noSteps && ungated.length === 0) {
        return [problemAt(scope, 'acceptUnmeasured', this.acceptUnmeasured, 'accepts ungated traffic but every weight is gated', 'remove acceptUnmeasured')];
      }
      return [];
    }
    const optOut = 'or acceptUnmeasured with the reason';
    if (noSteps) {
      return [problemAt(scope, 'steps', [], 'a canary without steps sends all traffic to the new version at once, unmeasured', `add CanaryStep.setWeight(10) and CanaryStep.analysis(...), ${optOut}`)];
    }
    return ungated.map(({ index, weight }) => problemAt(scope, `steps[${index}].setWeight`, weight,
      'the canary takes traffic here but no analysis or manual pause gates it before the next weight or the promotion',
      `add CanaryStep.analysis(...) or CanaryStep.pause() after steps[${index}], background analysis from step ${index}, ${optOut}`));
  }
}
