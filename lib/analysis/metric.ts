import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import * as at from '../../imports/analysistemplate-argoproj.io';
import { problemAt } from '../errors/problem';
import { goDuration, wholeSecondsProblems } from '../private/durations';
import { requireFields } from '../private/required';
import { AnalysisArg } from './analysis-arg';
import { referencedArgs } from './promql';

/** How often a metric measures by default; the presets also use it as their rate window. */
export const DEFAULT_ANALYSIS_INTERVAL = Duration.minutes(1);

/** Measurements a metric takes by default; see {@link MetricProps.count} for why it is not the controller's. */
export const DEFAULT_METRIC_COUNT = 5;

/** Headers that carry credentials; their values must come from Secret-backed args. */
const CREDENTIAL_HEADER = /^(authorization|proxy-authorization|cookie|x-api-key)$|token|secret/i;

/** Properties every metric shares, whatever measures it. */
export interface MetricProps {
  /** The metric's name, unique within its template; it names the measurement in the AnalysisRun. */
  readonly name: string;
  /**
   * Time between measurements.
   * @default Duration.minutes(1)
   */
  readonly interval?: Duration;
  /**
   * How many measurements to take; `Infinity` measures until the analysis is stopped, which only
   * background analysis or a `consecutiveSuccessLimit` ends.
   * @default 5 - written explicitly, a deliberate difference from the controller: there an omitted
   * count means unbounded when an interval is set and one measurement without one
   * (analysis/analysis.go). Every metric here has an interval, and an unbounded metric never ends a
   * step or pre/post-promotion analysis, so a count is written; give `count: Infinity` for the
   * upstream background-analysis behaviour (it is then omitted).
   */
  readonly count?: number;
  /**
   * Failed measurements tolerated; one more fails the metric and aborts the rollout. `-1` never fails
   * on failures and needs a `consecutiveSuccessLimit`: the metric then fails when `count` is reached first.
   * @default 0
   */
  readonly failureLimit?: number;
  /**
   * Inconclusive measurements tolerated; one more pauses the rollout for a human.
   * @default 0
   */
  readonly inconclusiveLimit?: number;
  /**
   * Consecutive errors (the provider could not measure) tolerated; one more fails the analysis.
   * @default 4
   */
  readonly consecutiveErrorLimit?: number;
  /**
   * Consecutive successful measurements that end the metric early as successful; 0 is off.
   * @default - the metric runs all `count` measurements
   */
  readonly consecutiveSuccessLimit?: number;
  /**
   * Wait before the first measurement, so the canary has taken traffic.
   * @default - measure at once
   */
  readonly initialDelay?: Duration;
  /**
   * Record the measurements without letting them fail the rollout, to try a new metric safely.
   * @default false
   */
  readonly dryRun?: boolean;
  /**
   * Measurements kept in the AnalysisRun's status.
   * @default - Argo Rollouts' default of 10
   */
  readonly measurementRetention?: number;
}

/**
 * Whether bad measurements can fail a metric with these limits (analysis/analysis.go,
 * assessMetricStatus): more than `failureLimit` failures within `count`, or, with the failure limit
 * off (-1), `count` reached before the consecutive successes. A dry-run metric never fails the run.
 */
export function metricCanFail(metric: { readonly failureLimit: number; readonly count: number; readonly dryRun: boolean }): boolean {
  if (metric.dryRun) return false;
  if (metric.failureLimit >= 0) return metric.failureLimit < metric.count;
  return Number.isFinite(metric.count);
}

/** A duration field of a metric, its value and the least whole seconds it may have. */
export type DurationField = readonly [field: string, duration: Duration | undefined, minSeconds: number];

/** A problem reporter bound to one metric: field, value, rule, fix. */
export type MetricProblem = (field: string, value: unknown, rule: string, fix: string) => void;

/**
 * One entry of an analysis template's `metrics`: when and how often to measure, and what failures
 * to tolerate. Subclasses say what measures it (Prometheus, a web endpoint, a Job) and how a result
 * is judged; the limits follow the Argo Rollouts controller's own rules
 * (utils/analysis/factory.go, ValidateMetric), so every combination it accepts is accepted here.
 */
export abstract class Metric {
  public readonly name: string;
  public readonly interval: Duration;
  /** Measurements to take; Infinity until the analysis is stopped. */
  public readonly count: number;
  public readonly failureLimit: number;
  public readonly inconclusiveLimit: number;
  public readonly consecutiveErrorLimit: number;
  public readonly consecutiveSuccessLimit?: number;
  public readonly initialDelay?: Duration;
  public readonly dryRun: boolean;
  public readonly measurementRetention?: number;

  protected constructor(props: MetricProps) {
    requireFields('metric', props, ['name']);
    this.name = props.name;
    this.interval = props.interval ?? DEFAULT_ANALYSIS_INTERVAL;
    this.count = props.count ?? DEFAULT_METRIC_COUNT;
    this.failureLimit = props.failureLimit ?? 0;
    this.inconclusiveLimit = props.inconclusiveLimit ?? 0;
    this.consecutiveErrorLimit = props.consecutiveErrorLimit ?? 4;
    this.consecutiveSuccessLimit = props.consecutiveSuccessLimit;
    this.initialDelay = props.initialDelay;
    this.dryRun = props.dryRun ?? false;
    this.measurementRetention = props.measurementRetention;
  }

  /** Why the metric's conditions were written by hand, when they were (see ConditionExpression). */
  public get reviewReason(): string | undefined {
    return undefined;
  }

  /**
   * The rules of this library the metric opts out of, by rule id, with the reason given; the template
   * records them in the annotation `infra-delivery.io/accepted-rules` as `<metric>/<rule>`.
   */
  public get acceptedRules(): Record<string, string> {
    return {};
  }

  /** The template args this metric refers to as `{{args.NAME}}`. */
  public abstract get referencedArgs(): string[];

  /**
   * Whether the metric ever ends by itself: after `count` measurements, or after
   * `consecutiveSuccessLimit` successes. A step analysis of a metric that does not never completes.
   */
  public get ends(): boolean {
    return Number.isFinite(this.count) || (this.consecutiveSuccessLimit ?? 0) > 0;
  }

  /** Whether bad measurements can fail the metric; see {@link metricCanFail}. */
  public get canFail(): boolean {
    return metricCanFail(this);
  }

  /** Problems with this metric, each naming `scope`, the metric and the field. */
  public problems(scope: IConstruct, declaredArgs: readonly AnalysisArg[]): string[] {
    const problems: string[] = [];
    const problem: MetricProblem = (name, value, rule, fix) => problems.push(problemAt(scope, `metrics[${this.name}].${name}`, value, rule, fix));
    const declared = declaredArgs.map(a => a.name);
    for (const arg of this.referencedArgs.filter(a => !declared.includes(a))) {
      problem(this.argField, `{{args.${arg}}}`, 'refers to an arg the template does not declare', `declare '${arg}' in the template's args or fix the name`);
    }
    this.limitProblems(problem);
    const durations: DurationField[] = [['interval', this.interval, 1], ['initialDelay', this.initialDelay, 0], ...this.durationFields()];
    for (const [field, duration, min] of durations) problems.push(...wholeSecondsProblems(scope, `metrics[${this.name}].${field}`, duration, min));
    this.providerProblems(problem, declaredArgs);
    return problems;
  }

  /**
   * The metric as the analysis template L1 takes it.
   * @internal
   */
  public _toMetric(): at.AnalysisTemplateSpecMetrics {
    return {
      name: this.name,
      interval: goDuration(this.interval),
      count: Number.isFinite(this.count) ? at.AnalysisTemplateSpecMetricsCount.fromNumber(this.count) : undefined,
      failureLimit: at.AnalysisTemplateSpecMetricsFailureLimit.fromNumber(this.failureLimit),
      inconclusiveLimit: this.inconclusiveLimit ? at.AnalysisTemplateSpecMetricsInconclusiveLimit.fromNumber(this.inconclusiveLimit) : undefined,
      consecutiveErrorLimit: at.AnalysisTemplateSpecMetricsConsecutiveErrorLimit.fromNumber(this.consecutiveErrorLimit),
      consecutiveSuccessLimit: this.consecutiveSuccessLimit !== undefined
        ? at.AnalysisTemplateSpecMetricsConsecutiveSuccessLimit.fromNumber(this.consecutiveSuccessLimit) : undefined,
      initialDelay: this.initialDelay ? goDuration(this.initialDelay) : undefined,
      ...this._conditions(),
      provider: this._provider(),
    };
  }

  /** The field named when an undeclared arg is referred to, e.g. `query` or `url`. */
  protected abstract get argField(): string;

  /** Problems only this kind of metric can have. */
  protected abstract providerProblems(problem: MetricProblem, declaredArgs: readonly AnalysisArg[]): void;

  /** Durations of the provider the controller takes in whole seconds, with their minimum. */
  protected durationFields(): DurationField[] {
    return [];
  }

  /**
   * The success and failure conditions.
   * @internal
   */
  protected abstract _conditions(): Pick<at.AnalysisTemplateSpecMetrics, 'successCondition' | 'failureCondition'>;

  /**
   * The `provider` block.
   * @internal
   */
  protected abstract _provider(): at.AnalysisTemplateSpecMetricsProvider;

  /** Credential headers must take their values from args backed by a Secret, never a literal in `dist/`. */
  protected headerProblems(problem: MetricProblem, headers: Readonly<Record<string, string>>, declaredArgs: readonly AnalysisArg[]): void {
    const secretArgs = declaredArgs.filter(a => a.secretKeyRef).map(a => a.name);
    for (const [header, value] of Object.entries(headers).filter(([h]) => CREDENTIAL_HEADER.test(h))) {
      const args = referencedArgs(value);
      if (args.length === 0 || args.some(a => !secretArgs.includes(a))) {
        problem(`headers.${header}`, value, 'carries a credential, which must not be written into dist/', 'declare an arg with secretKeyRef and use \'{{args.NAME}}\' as the value');
      }
    }
  }

  /** The count and limit rules of the controller (utils/analysis/factory.go, ValidateMetric). */
  private limitProblems(problem: MetricProblem): void {
    const isInteger = (n: number | undefined, min: number) => n === undefined || (Number.isInteger(n) && n >= min);
    if (this.count !== Infinity && !isInteger(this.count, 1)) {
      problem('count', this.count, 'must be a positive integer, or Infinity to measure until the analysis is stopped', 'set a count such as 5');
      return;
    }
    const limits = [
      ['failureLimit', this.failureLimit, -1, 'set 0 to abort on the first failed measurement'],
      ['inconclusiveLimit', this.inconclusiveLimit, 0, 'set 0 to pause on the first inconclusive measurement'],
      ['consecutiveErrorLimit', this.consecutiveErrorLimit, 0, 'keep the default of 4'],
      ['consecutiveSuccessLimit', this.consecutiveSuccessLimit, 0, 'remove it to run every measurement'],
    ] as const;
    let valid = true;
    for (const [name, value, min, fix] of limits) {
      if (!isInteger(value, min)) {
        problem(name, value, `must be an integer of at least ${min}`, fix);
        valid = false;
      }
    }
    if (!valid) return;
    // A consecutiveSuccessLimit of 0 is off, like none (analysis/analysis.go, assessMetricStatus).
    if (this.failureLimit === -1 && !this.consecutiveSuccessLimit) {
      problem('failureLimit', -1, 'turns failures off, so a consecutiveSuccessLimit must decide the metric', 'set consecutiveSuccessLimit, or a failureLimit of 0 or more');
    }
    const needed = Math.max(this.failureLimit, 0) + (this.consecutiveSuccessLimit ?? 0);
    if (this.consecutiveSuccessLimit !== undefined && this.count < needed) {
      problem('consecutiveSuccessLimit', this.consecutiveSuccessLimit, `count (${this.count}) must be at least failureLimit + consecutiveSuccessLimit (${needed})`, `raise count to ${needed} or lower the limits`);
    }
    if (this.inconclusiveLimit > this.count) {
      problem('inconclusiveLimit', this.inconclusiveLimit, `must not exceed count (${this.count})`, `lower inconclusiveLimit to ${this.count} or less`);
    }
  }
}
