import { ConditionProblem, finiteBoundProblems } from './condition-expression';

/** The comparisons a {@link ScalarThreshold} applies. */
export type ScalarOperator = '>=' | '<=' | '>' | '<';

/**
 * A plain threshold on one number, for providers whose result is a single value rather than a
 * Prometheus vector: Datadog (a float, or nil without data) and a field of a New Relic result. It
 * compares the value with a bound, as the upstream examples do (`result <= 0.01`,
 * `result.successRate >= 0.95`); it is not a comparison of the canary with the stable version.
 */
export class ScalarThreshold {
  /** Passes when the value is at least `bound`, e.g. a success rate. */
  public static atLeast(bound: number): ScalarThreshold {
    return new ScalarThreshold('>=', bound);
  }

  /** Passes when the value is at most `bound`, e.g. an error rate or a latency. */
  public static atMost(bound: number): ScalarThreshold {
    return new ScalarThreshold('<=', bound);
  }

  /** Passes when the value is strictly above `bound`. */
  public static above(bound: number): ScalarThreshold {
    return new ScalarThreshold('>', bound);
  }

  /** Passes when the value is strictly below `bound`. */
  public static below(bound: number): ScalarThreshold {
    return new ScalarThreshold('<', bound);
  }

  private constructor(
    /** The comparison the value must satisfy. */
    public readonly operator: ScalarOperator,
    /** The bound the value is compared with. */
    public readonly bound: number,
  ) {}

  /** The comparison of `subject`, an expr-lang expression such as `result` or `result.successRate`. */
  public compare(subject: string): string {
    return `${subject} ${this.operator} ${this.bound}`;
  }

  /** A one-line description for reports, e.g. `<= 0.01`. */
  public describe(): string {
    return `${this.operator} ${this.bound}`;
  }

  /** What is wrong with the threshold. */
  public problems(field: string): ConditionProblem[] {
    return finiteBoundProblems(field, this.bound);
  }
}
