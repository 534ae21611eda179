import * as ro from '../../imports/rollout-argoproj.io';

/** How a header route or mirror route matches a request value: exactly one of exact, prefix or regex. */
export class StringMatch {
  /** The value equals `value`. */
  public static exact(value: string): StringMatch {
    return new StringMatch({ exact: value });
  }

  /** The value starts with `value`. */
  public static prefix(value: string): StringMatch {
    return new StringMatch({ prefix: value });
  }

  /** The value matches the RE2 regular expression `pattern`. */
  public static regex(pattern: string): StringMatch {
    return new StringMatch({ regex: pattern });
  }

  private constructor(private readonly match: ro.RolloutSpecStrategyCanaryStepsSetHeaderRouteMatchHeaderValue) {}

  /** The value matched against; the controller rejects an empty one. */
  public get value(): string {
    return Object.values(this.match)[0];
  }

  /**
   * The match as the Rollout L1 takes it.
   * @internal
   */
  public _toJson(): ro.RolloutSpecStrategyCanaryStepsSetHeaderRouteMatchHeaderValue {
    return this.match;
  }
}
