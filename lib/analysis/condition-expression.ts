import { requireFields } from '../private/required';
import { exprLangProblem } from './private/expr-lang';

/** A problem of a metric's condition: field, value, rule and fix. */
export type ConditionProblem = [field: string, value: unknown, rule: string, fix: string];

/** The problem of a bound a condition compares with, when it is NaN or infinite. */
export function finiteBoundProblems(field: string, bound: number): ConditionProblem[] {
  return Number.isFinite(bound) ? [] : [[field, bound, 'must be a finite number', 'compare with a finite bound']];
}

/** Properties of a {@link ConditionExpression}. */
export interface ConditionExpressionProps {
  /**
   * The expr-lang `successCondition`; `result` is the provider's result.
   * @default - none: a measurement passes unless `failure` holds
   */
  readonly success?: string;
  /**
   * The expr-lang `failureCondition`.
   * @default - none: a measurement fails unless `success` holds
   */
  readonly failure?: string;
  /** Why the typed conditions do not fit; recorded on the template for reviewers and listed by `npm run plan`. */
  readonly reason: string;
  /**
   * Why indexing a Prometheus result (`result[0]`, as most upstream examples do) is accepted: on an
   * empty result the controller errors instead of judging, and errors count towards
   * `consecutiveErrorLimit` rather than `failureLimit` (utils/evaluate/evaluate.go). Recorded on the
   * template as the annotation `infra-delivery.io/accepted-rules`, listed by `npm run plan` and flagged by `npm run review`.
   * @default - a Prometheus result must not be indexed
   */
  readonly acceptIndexedResult?: string;
}

/**
 * Conditions written by hand in expr-lang, the escape hatch for what the typed conditions cannot say.
 * They are still checked: each must parse, name only what the controller defines, and, on a
 * Prometheus result, not index it unless `acceptIndexedResult` says why (`result[0]` errors on an
 * empty result, which the controller counts towards `consecutiveErrorLimit`; `all(result, {...})` and
 * `any(result, {...})` do not).
 */
export class ConditionExpression {
  /** Hand-written conditions with the reason a reviewer accepted them. */
  public static of(props: ConditionExpressionProps): ConditionExpression {
    requireFields('condition expression', props, ['reason']);
    return new ConditionExpression(props.success, props.failure, props.reason, props.acceptIndexedResult);
  }

  private constructor(
    private readonly success: string | undefined,
    private readonly failure: string | undefined,
    /** Why the expression was written by hand. */
    public readonly reason: string,
    /** Why indexing a Prometheus result is accepted, if it is. */
    public readonly acceptIndexedResult?: string,
  ) {}

  /** The `successCondition`, if any. */
  public successCondition(): string | undefined {
    return this.success;
  }

  /** The `failureCondition`, if any. */
  public failureCondition(): string | undefined {
    return this.failure;
  }

  /** A one-line description for reports. */
  public describe(): string {
    return [this.success && `success: ${this.success}`, this.failure && `failure: ${this.failure}`].filter(Boolean).join('; ');
  }

  /**
   * What is wrong with the expressions.
   * @param field the metric's field that holds this condition
   * @param vector whether the result is a Prometheus vector, which must not be indexed
   */
  public problems(field: string, vector: boolean): ConditionProblem[] {
    const problems: ConditionProblem[] = [];
    if (!this.reason.trim()) problems.push([`${field}.reason`, this.reason, 'must say why the typed conditions do not fit', 'write the reason a reviewer accepted']);
    if (this.success === undefined && this.failure === undefined) {
      problems.push([field, '(none)', 'needs a success or a failure expression, or every measurement passes', 'give success, failure or both']);
    }
    for (const [name, expression] of [['success', this.success], ['failure', this.failure]] as const) {
      if (expression === undefined) continue;
      const syntax = exprLangProblem(expression);
      if (syntax) {
        problems.push([`${field}.${name}`, expression, `is not an expr-lang condition: ${syntax}`, 'fix the expression; see https://expr-lang.org/docs/language-definition']);
      } else if (vector && /\bresult\s*\[/.test(expression) && this.acceptIndexedResult === undefined) {
        problems.push([`${field}.${name}`, expression, 'indexes the result, which errors on an empty result instead of judging it',
          'use all(result, {...}) or any(result, {...}) with a len(result) guard, or acceptIndexedResult with the reason']);
      }
    }
    if (this.acceptIndexedResult !== undefined) {
      const indexes = [this.success, this.failure].some(e => e !== undefined && /\bresult\s*\[/.test(e));
      if (!this.acceptIndexedResult.trim()) {
        problems.push([`${field}.acceptIndexedResult`, this.acceptIndexedResult, 'must give the reason an indexed result is accepted', 'write the reason, e.g. \'the query always returns one series; an empty result is an error\'']);
      } else if (!vector || !indexes) {
        problems.push([`${field}.acceptIndexedResult`, this.acceptIndexedResult, 'accepts an indexed result but no prometheus result is indexed', 'remove acceptIndexedResult']);
      }
    }
    return problems;
  }
}
