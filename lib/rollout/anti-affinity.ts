import { IConstruct } from 'constructs';
import * as ro from '../../imports/rollout-argoproj.io';
import { problemAt } from '../errors/problem';

/** Keeps new pods off the nodes of the old version's pods, so one bad node cannot take both. */
export class AntiAffinity {
  /** The scheduler prefers other nodes, with `weight` from 1 to 100. */
  public static preferred(weight: number): AntiAffinity {
    return new AntiAffinity({ preferredDuringSchedulingIgnoredDuringExecution: { weight } }, weight);
  }

  /** The scheduler must use other nodes; pods stay pending when none is free. */
  public static required(): AntiAffinity {
    return new AntiAffinity({ requiredDuringSchedulingIgnoredDuringExecution: {} });
  }

  private constructor(private readonly json: ro.RolloutSpecStrategyCanaryAntiAffinity, private readonly weight?: number) {}

  /** Problems with the weight. */
  public problems(scope: IConstruct): string[] {
    if (this.weight === undefined || (Number.isInteger(this.weight) && this.weight >= 1 && this.weight <= 100)) return [];
    return [problemAt(scope, 'antiAffinity.weight', this.weight, 'must be an integer from 1 to 100', 'use a weight such as 100')];
  }

  /**
   * The `antiAffinity` block.
   * @internal
   */
  public _toJson(): ro.RolloutSpecStrategyCanaryAntiAffinity {
    return this.json;
  }
}
