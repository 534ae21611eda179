import { ConditionProblem, finiteBoundProblems } from './condition-expression';

/** The verdict of one Argo Rollouts measurement. */
export class Verdict {
  /** The measurement counts as successful. */
  public static readonly PASS = new Verdict('Successful');
  /** The measurement counts towards `failureLimit`; past it the rollout aborts. */
  public static readonly FAIL = new Verdict('Failed');
  /** The measurement counts towards `inconclusiveLimit`; past it the rollout pauses for a human. */
  public static readonly INCONCLUSIVE = new Verdict('Inconclusive');

  private constructor(
    /** The AnalysisRun phase this verdict produces. */
    public readonly phase: string,
  ) {}
}

/** How a threshold treats results that carry no usable number. */
export interface DataPolicy {
  /**
   * The verdict for an empty result: the query matched no series, e.g. the canary has no pods yet or
   * its metrics are not scraped.
   * @default Verdict.FAIL
   */
  readonly onEmpty?: Verdict;
  /**
   * The verdict for NaN: 0/0, which a ratio query returns while the canary takes no traffic.
   * @default Verdict.FAIL
   */
  readonly onNaN?: Verdict;
  /**
   * The verdict for ±Inf, e.g. histogram_quantile when the quantile lies in the +Inf bucket.
   * @default Verdict.FAIL
   */
  readonly onInf?: Verdict;
  /**
   * Render only a `failureCondition`, as many hand-written templates do: a measurement passes unless
   * it fails, so no verdict may be inconclusive.
   * @default false - a success condition, plus a failure condition where a verdict is inconclusive
   */
  readonly failureOnly?: boolean;
}

/** The comparisons a threshold applies to each finite value. */
export type ThresholdOperator = '>=' | '<=' | '>' | '<';

/**
 * A typed analysis condition: every value of the result compared with a bound, plus an explicit
 * verdict for empty, NaN and infinite results. It renders the expr-lang conditions Argo Rollouts
 * evaluates, and {@link evaluate} applies the same rules in TypeScript.
 *
 * The rendered conditions never index `result[0]`: Argo Rollouts errors on any condition containing
 * `result[` when the result is empty, guard or not, and errors abort the rollout after
 * `consecutiveErrorLimit`. `all(result, {...})` and `any(result, {...})` are safe on empty results.
 */
export class Threshold {
  /** Passes when every value is at least `bound`, e.g. a success rate. */
  public static atLeast(bound: number, policy: DataPolicy = {}): Threshold {
    return new Threshold('>=', bound, policy);
  }

  /** Passes when every value is at most `bound`, e.g. a latency. */
  public static atMost(bound: number, policy: DataPolicy = {}): Threshold {
    return new Threshold('<=', bound, policy);
  }

  /** Passes when every value is strictly above `bound`, e.g. a throughput that must not drop to zero. */
  public static above(bound: number, policy: DataPolicy = {}): Threshold {
    return new Threshold('>', bound, policy);
  }

  /** Passes when every value is strictly below `bound`, e.g. an error rate that must stay under 1%. */
  public static below(bound: number, policy: DataPolicy = {}): Threshold {
    return new Threshold('<', bound, policy);
  }

  /**
   * The threshold whose rendered conditions are exactly these, e.g. read back from a synthesized
   * AnalysisTemplate; undefined for a condition this class did not render.
   */
  public static fromCondition(successCondition: string | undefined, failureCondition?: string): Threshold | undefined {
    const rendered = successCondition ?? failureCondition;
    if (rendered === undefined) return undefined;
    const verdicts = [Verdict.PASS, Verdict.FAIL, Verdict.INCONCLUSIVE];
    for (const operator of ['>=', '<=', '>', '<'] as const) {
      const marker = `# ${operator} `;
      const at = rendered.indexOf(marker);
      if (at === -1) continue;
      const bound: number = Number(rendered.slice(at + marker.length).split(')')[0]);
      if (!Number.isFinite(bound)) continue;
      for (const onEmpty of verdicts) {
        for (const onNaN of verdicts) {
          for (const onInf of verdicts) {
            const candidate: Threshold = new Threshold(operator, bound, { onEmpty, onNaN, onInf, failureOnly: successCondition === undefined });
            if (candidate.successCondition() === successCondition && candidate.failureCondition() === failureCondition) return candidate;
          }
        }
      }
    }
    return undefined;
  }

  /** The verdict for an empty result. */
  public readonly onEmpty: Verdict;
  /** The verdict for a NaN value. */
  public readonly onNaN: Verdict;
  /** The verdict for an infinite value. */
  public readonly onInf: Verdict;
  /** Whether only a failure condition is rendered. */
  public readonly failureOnly: boolean;

  private constructor(
    /** The comparison a finite value must satisfy. */
    public readonly operator: ThresholdOperator,
    /** The bound finite values are compared with. */
    public readonly bound: number,
    policy: DataPolicy,
  ) {
    this.onEmpty = policy.onEmpty ?? Verdict.FAIL;
    this.onNaN = policy.onNaN ?? Verdict.FAIL;
    this.onInf = policy.onInf ?? Verdict.FAIL;
    this.failureOnly = policy.failureOnly ?? false;
  }

  /** The `successCondition`: true when the measurement passes; undefined when only a failure condition is rendered. */
  public successCondition(): string | undefined {
    if (this.failureOnly) return undefined;
    const passes = this.valuePredicate(Verdict.PASS, `# ${this.operator} ${this.bound}`);
    const all = `all(result, {${passes}})`;
    return this.onEmpty === Verdict.PASS ? all : `len(result) > 0 && ${all}`;
  }

  /**
   * The `failureCondition`, needed only when some policy is inconclusive or `failureOnly` is set:
   * without one, Argo Rollouts fails every measurement whose success condition is false, and without
   * a success condition it passes every measurement whose failure condition is false
   * (utils/evaluate/evaluate.go, EvaluateResult).
   */
  public failureCondition(): string | undefined {
    if (!this.hasFailureCondition) return undefined;
    const fails = this.valuePredicate(Verdict.FAIL, `!(# ${this.operator} ${this.bound})`);
    const any = `any(result, {${fails}})`;
    return this.onEmpty === Verdict.FAIL ? `len(result) == 0 || ${any}` : any;
  }

  /** The verdict Argo Rollouts reaches for `result` with the rendered conditions. */
  public evaluate(result: readonly number[]): Verdict {
    const verdictOf = (value: number): Verdict => {
      if (Number.isNaN(value)) return this.onNaN;
      if (!Number.isFinite(value)) return this.onInf;
      return this.compare(value) ? Verdict.PASS : Verdict.FAIL;
    };
    const verdicts = result.map(verdictOf);
    const success = (result.length > 0 || this.onEmpty === Verdict.PASS) && verdicts.every(v => v === Verdict.PASS);
    if (!this.hasFailureCondition) return success ? Verdict.PASS : Verdict.FAIL;
    const failure = (result.length === 0 && this.onEmpty === Verdict.FAIL) || verdicts.includes(Verdict.FAIL);
    if (failure) return Verdict.FAIL;
    if (this.failureOnly) return Verdict.PASS;
    return success ? Verdict.PASS : Verdict.INCONCLUSIVE;
  }

  /** A one-line description for reports, e.g. `>= 0.99 (empty: Failed, NaN: Failed, Inf: Failed)`. */
  public describe(): string {
    const only = this.failureOnly ? ', failure condition only' : '';
    return `${this.operator} ${this.bound} (empty: ${this.onEmpty.phase}, NaN: ${this.onNaN.phase}, Inf: ${this.onInf.phase}${only})`;
  }

  /** What is wrong with this threshold, as field, value, rule and fix; empty when nothing is. */
  public problems(): ConditionProblem[] {
    const problems = finiteBoundProblems('threshold', this.bound);
    if (this.failureOnly && this.policies.includes(Verdict.INCONCLUSIVE)) {
      problems.push(['threshold', this.describe(), 'renders only a failure condition, which cannot tell an inconclusive measurement from a passing one',
        'drop failureOnly, or make the no-data verdicts pass or fail']);
    }
    return problems;
  }

  /** Whether a failure condition is rendered (see {@link failureCondition}); evaluate asks without building it. */
  private get hasFailureCondition(): boolean {
    return this.failureOnly || this.policies.includes(Verdict.INCONCLUSIVE);
  }

  private get policies(): Verdict[] {
    return [this.onEmpty, this.onNaN, this.onInf];
  }

  private compare(value: number): boolean {
    switch (this.operator) {
      case '>=': return value >= this.bound;
      case '<=': return value <= this.bound;
      case '>': return value > this.bound;
      case '<': return value < this.bound;
    }
  }

  /** The per-value predicate reaching `verdict`: a finite comparison, or NaN/Inf where the policy says so. */
  private valuePredicate(verdict: Verdict, comparison: string): string {
    const cases = [`(!isNaN(#) && !isInf(#) && ${comparison})`];
    if (this.onNaN === verdict) cases.push('isNaN(#)');
    if (this.onInf === verdict) cases.push('isInf(#)');
    return cases.join(' || ');
  }
}
