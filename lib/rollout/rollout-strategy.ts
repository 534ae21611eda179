import { IConstruct } from 'constructs';
import * as kplus from 'cdk8s-plus-28';
import { CanaryStep } from './canary-step';
import * as ro from '../../imports/rollout-argoproj.io';
import { problemAt } from '../util/errors';

/** Properties of a canary strategy. */
export interface CanaryStrategyProps {
  /** The Service that selects stable pods; the controller pins its selector to the stable ReplicaSet. */
  readonly stableService: kplus.Service;
  /** The Service that selects canary pods; the controller pins its selector to the canary ReplicaSet. */
  readonly canaryService: kplus.Service;
  /** The steps, in order; after the last one the canary is promoted to stable. */
  readonly steps: CanaryStep[];
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
}

/** How a Rollout replaces its pods. */
export class RolloutStrategy {
  /** Shifts a growing share of traffic to the new version, step by step, measuring it on the way. */
  public static canary(props: CanaryStrategyProps): RolloutStrategy {
    return new RolloutStrategy(props);
  }

  /** The canary steps. */
  public readonly steps: readonly CanaryStep[];
  private readonly maxSurge: kplus.PercentOrAbsolute;
  private readonly maxUnavailable: kplus.PercentOrAbsolute;

  private constructor(private readonly props: CanaryStrategyProps) {
    this.steps = props.steps;
    this.maxSurge = props.maxSurge ?? kplus.PercentOrAbsolute.percent(25);
    this.maxUnavailable = props.maxUnavailable ?? kplus.PercentOrAbsolute.absolute(0);
  }

  /** Problems with this strategy, each naming `scope` and the field. */
  public problems(scope: IConstruct): string[] {
    const problems = this.steps.flatMap((step, i) => step.problems(scope, i));
    if (this.props.canaryService.name === this.props.stableService.name) {
      problems.push(problemAt(scope, 'canaryService', this.props.canaryService.name, 'must differ from stableService: the controller rewrites both selectors', 'use two Services, e.g. <name>-canary and <name>-stable'));
    }
    if (this.maxSurge.isZero() && this.maxUnavailable.isZero()) {
      problems.push(problemAt(scope, 'maxSurge', 0, 'maxSurge and maxUnavailable cannot both be zero, or no pod can ever be replaced', 'keep the default maxSurge of 25%'));
    }
    problems.push(...this.unmeasuredWeightProblems(scope));
    return problems;
  }

  /** The strategy as the Rollout L1 takes it. */
  public toStrategy(): ro.RolloutSpecStrategy {
    return {
      canary: {
        stableService: this.props.stableService.name,
        canaryService: this.props.canaryService.name,
        maxSurge: intOrPercent(this.maxSurge, ro.RolloutSpecStrategyCanaryMaxSurge),
        maxUnavailable: intOrPercent(this.maxUnavailable, ro.RolloutSpecStrategyCanaryMaxUnavailable),
        steps: this.steps.map(s => s.toStep()),
      },
    };
  }

  /** Every weight above zero must be measured before the next weight or the final promotion. */
  private unmeasuredWeightProblems(scope: IConstruct): string[] {
    const problems: string[] = [];
    let unmeasured: { index: number; weight: number } | undefined;
    const check = () => {
      if (unmeasured) {
        problems.push(problemAt(scope, `steps[${unmeasured.index}].setWeight`, unmeasured.weight, 'the canary takes traffic here but no analysis measures it before the next weight or the promotion', `add CanaryStep.analysis(...) after steps[${unmeasured.index}]`));
      }
    };
    this.steps.forEach((step, index) => {
      if (step.weight !== undefined) {
        check();
        unmeasured = step.weight > 0 ? { index, weight: step.weight } : undefined;
      }
      if (step.measures) unmeasured = undefined;
    });
    check();
    return problems;
  }
}

/** kplus holds a number or an `N%` string; Kubernetes rejects a bare number written as a string. */
function intOrPercent<T>(value: kplus.PercentOrAbsolute, type: { fromNumber(n: number): T; fromString(s: string): T }): T {
  return typeof value.value === 'number' ? type.fromNumber(value.value) : type.fromString(String(value.value));
}
