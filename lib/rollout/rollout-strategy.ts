import { BlueGreenStrategy, BlueGreenStrategyProps } from './blue-green-strategy';
import { CanaryStrategy, CanaryStrategyProps } from './canary-strategy';

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
