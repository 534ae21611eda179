import { Duration } from 'cdk8s';
import { goDuration, seconds } from '../private/durations';
import { exprLangProblem } from './private/expr-lang';
import { referencedArgs } from './promql';

/**
 * A bound of a Prometheus range query: the controller evaluates `start` and `end` as expr-lang time
 * expressions after resolving args (metricproviders/prometheus/prometheus.go, executeQuery:
 * `evaluate.EvalTime`), so a bound can be a fixed time ago or an expression over an arg, e.g.
 * `now() - duration("{{args.lookback-duration}}")` (docs/analysis/prometheus.md, "Range queries").
 */
export class RangeTime {
  /** A fixed time before now; `Duration.seconds(0)` is now. */
  public static ago(duration: Duration): RangeTime {
    return new RangeTime(duration, undefined);
  }

  /**
   * An expr-lang time expression, e.g. `now() - duration("{{args.lookback-duration}}")`. Its args are
   * resolved first, so the expression is checked with each `{{args.NAME}}` as a string.
   */
  public static expression(expression: string): RangeTime {
    return new RangeTime(undefined, expression);
  }

  private constructor(
    /** The fixed time before now, for {@link ago}. */
    public readonly duration: Duration | undefined,
    /** The expression, for {@link expression}. */
    public readonly text: string | undefined,
  ) {}

  /** The args the expression refers to. */
  public get referencedArgs(): string[] {
    return this.text === undefined ? [] : referencedArgs(this.text);
  }

  /** Seconds before now, when fixed; undefined for an expression. */
  public get secondsAgo(): number | undefined {
    return this.duration === undefined ? undefined : seconds(this.duration);
  }

  /** Why the bound cannot be evaluated, or undefined. */
  public problem(): string | undefined {
    if (this.text === undefined) return undefined;
    // An arg inside quotes is a string once resolved; a bare one is whatever text it holds.
    const syntax = exprLangProblem(this.text.replace(/\{\{\s*args\.[^}]+\}\}/g, 'x'));
    return syntax && `is not an expr-lang time expression: ${syntax}`;
  }

  /** The bound as the controller takes it. */
  public render(): string {
    if (this.text !== undefined) return this.text;
    return seconds(this.duration!) === 0 ? 'now()' : `now() - duration("${goDuration(this.duration!)}")`;
  }
}
