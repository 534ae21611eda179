import { ConditionProblem, finiteBoundProblems } from './condition-expression';

/**
 * How a web metric's result is judged. The Web provider hands the conditions one JSON value, the
 * first match of `jsonPath` (or the body as a string when it is not JSON), not a list
 * (metricproviders/webmetric/webmetric.go, parseResponse), so these conditions compare `result` itself.
 * Numbers are read with `asFloat`, which also reads numeric strings; anything else makes the
 * measurement an error, counted towards `consecutiveErrorLimit` (utils/evaluate/evaluate.go).
 */
export class WebCondition {
  /** Passes when the value is at least `bound`. */
  public static atLeast(bound: number): WebCondition {
    return WebCondition.compare('>=', bound);
  }

  /** Passes when the value is at most `bound`. */
  public static atMost(bound: number): WebCondition {
    return WebCondition.compare('<=', bound);
  }

  /** Passes when the value is strictly above `bound`. */
  public static above(bound: number): WebCondition {
    return WebCondition.compare('>', bound);
  }

  /** Passes when the value is strictly below `bound`. */
  public static below(bound: number): WebCondition {
    return WebCondition.compare('<', bound);
  }

  /** Passes when the value equals `expected`: a string, a number or a boolean, e.g. `true` for `{"ok": true}`. */
  public static equals(expected: string | number | boolean): WebCondition {
    // JSON string literals are expr-lang string literals: double-quoted, with the same escapes.
    return new WebCondition(`result == ${JSON.stringify(expected)}`, expected, `== ${JSON.stringify(expected)}`);
  }

  /** Fails when the value equals `unwanted`, and passes otherwise: a failure-only condition. */
  public static notEquals(unwanted: string | number | boolean): WebCondition {
    return new WebCondition(undefined, unwanted, `fails when == ${JSON.stringify(unwanted)}`, `result == ${JSON.stringify(unwanted)}`);
  }

  private static compare(operator: string, bound: number): WebCondition {
    return new WebCondition(`asFloat(result) ${operator} ${bound}`, bound, `${operator} ${bound}`);
  }

  private constructor(
    private readonly success: string | undefined,
    /** The value compared with, for checks. */
    private readonly operand: string | number | boolean,
    private readonly description: string,
    private readonly failure?: string,
  ) {}

  /** The `successCondition`, if any. */
  public successCondition(): string | undefined {
    return this.success;
  }

  /** The `failureCondition`, if any. */
  public failureCondition(): string | undefined {
    return this.failure;
  }

  /** A one-line description for reports, e.g. `>= 0.99`. */
  public describe(): string {
    return this.description;
  }

  /** What is wrong with the condition, as field, value, rule and fix. */
  public problems(field: string): ConditionProblem[] {
    return typeof this.operand === 'number' ? finiteBoundProblems(field, this.operand) : [];
  }
}
