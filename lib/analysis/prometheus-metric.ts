import { Duration } from 'cdk8s';
import * as at from '../../imports/analysistemplate-argoproj.io';
import { ACCEPTED_RULE } from '../private/accepted-rules';
import { goDuration, seconds } from '../private/durations';
import { requireFields } from '../private/required';
import { AnalysisArg } from './analysis-arg';
import { ConditionExpression } from './condition-expression';
import { DurationField, Metric, MetricProblem, MetricProps } from './metric';
import { PrometheusAuth } from './prometheus-auth';
import { promqlSyntaxError, referencedArgs } from './promql';
import { RangeTime } from './range-time';
import { Threshold } from './threshold';

/**
 * A range query: the controller asks `query_range` from `start` to `end` every `step`, and the result
 * holds every sample, so the threshold judges them all.
 */
export interface PrometheusRangeQuery {
  /** How far back the range starts: a Duration before now, or a {@link RangeTime} such as an expression over an arg. */
  readonly start: Duration | RangeTime;
  /**
   * How far back the range ends.
   * @default Duration.seconds(0) - now
   */
  readonly end?: Duration | RangeTime;
  /** The resolution of the range. */
  readonly step: Duration;
}

/** A range bound as a {@link RangeTime}, or undefined when a caller that cast the types away gave something else. */
function rangeTime(bound: unknown): RangeTime | undefined {
  if (bound instanceof RangeTime) return bound;
  return bound instanceof Duration ? RangeTime.ago(bound) : undefined;
}

/** How a Prometheus result may be judged: a typed threshold, or reviewed expressions. */
export type PrometheusCondition = Threshold | ConditionExpression;

/** Properties of a {@link PrometheusMetric}. */
export interface PrometheusMetricProps<C extends PrometheusCondition = PrometheusCondition> extends MetricProps {
  /** The Prometheus server's base URL. */
  readonly address: string;
  /** The PromQL query; it may refer to template args as `{{args.NAME}}`. It must return an instant vector. */
  readonly query: string;
  /** The condition each measurement's result must meet: a typed threshold, or reviewed expressions. */
  readonly threshold: C;
  /**
   * Query timeout, in whole seconds.
   * @default Duration.seconds(30)
   */
  readonly timeout?: Duration;
  /**
   * HTTP headers sent with every query. A credential header (Authorization, Cookie, X-Api-Key, or a
   * name with "token" or "secret") must take its value from args backed by a Secret.
   * @default - none
   */
  readonly headers?: Record<string, string>;
  /**
   * How the controller authenticates to Prometheus.
   * @default - no authentication
   */
  readonly authentication?: PrometheusAuth;
  /**
   * Ask for a range of samples instead of an instant value.
   * @default - an instant query
   */
  readonly rangeQuery?: PrometheusRangeQuery;
  /**
   * Skip verifying the server's TLS certificate; only for a server with a self-signed certificate on a trusted network.
   * @default false
   */
  readonly insecure?: boolean;
}

/** A measurement of the canary by Prometheus: one entry of an analysis template's `metrics`. */
export class PrometheusMetric<C extends PrometheusCondition = PrometheusCondition> extends Metric {
  public readonly address: string;
  public readonly query: string;
  public readonly threshold: C;
  public readonly timeout: Duration;
  public readonly headers: Readonly<Record<string, string>>;
  public readonly authentication?: PrometheusAuth;
  public readonly rangeQuery?: PrometheusRangeQuery;
  public readonly insecure: boolean;

  constructor(props: PrometheusMetricProps<C>) {
    super(props);
    requireFields(`metric '${props.name}'`, props, ['address', 'query', 'threshold']);
    this.address = props.address;
    this.query = props.query;
    this.threshold = props.threshold;
    this.timeout = props.timeout ?? Duration.seconds(30);
    this.headers = props.headers ?? {};
    this.authentication = props.authentication;
    this.rangeQuery = props.rangeQuery;
    this.insecure = props.insecure ?? false;
  }

  /** The args the query, headers and authentication refer to. */
  public get referencedArgs(): string[] {
    return [...new Set([
      ...referencedArgs(this.query),
      ...Object.values(this.headers).flatMap(referencedArgs),
      ...this.authentication?.secretArgs ?? [],
      ...[this.rangeQuery?.start, this.rangeQuery?.end].flatMap(b => rangeTime(b)?.referencedArgs ?? []),
    ])];
  }

  public get reviewReason(): string | undefined {
    return this.threshold instanceof ConditionExpression ? this.threshold.reason : undefined;
  }

  public get acceptedRules(): Record<string, string> {
    const accepted = this.threshold instanceof ConditionExpression ? this.threshold.acceptIndexedResult : undefined;
    return accepted === undefined ? {} : { [ACCEPTED_RULE.INDEXED_RESULT]: accepted };
  }

  protected get argField(): string {
    return 'query';
  }

  protected durationFields(): DurationField[] {
    const fixed = (bound: unknown) => rangeTime(bound)?.duration;
    const step = this.rangeQuery?.step instanceof Duration ? this.rangeQuery.step : undefined;
    return [['timeout', this.timeout, 1], ['rangeQuery.start', fixed(this.rangeQuery?.start), 1], ['rangeQuery.end', fixed(this.rangeQuery?.end), 0], ['rangeQuery.step', step, 1]];
  }

  protected providerProblems(problem: MetricProblem, declaredArgs: readonly AnalysisArg[]): void {
    const syntax = promqlSyntaxError(this.query);
    if (syntax) problem('query', this.query, `is not valid promql: ${syntax}`, 'fix the query; try it in the prometheus ui first');
    if (this.rangeQuery) this.rangeQueryProblems(problem, this.rangeQuery);
    const conditionProblems = this.threshold instanceof Threshold ? this.threshold.problems() : this.threshold.problems('threshold', true);
    for (const args of conditionProblems) problem(...args);
    this.headerProblems(problem, this.headers, declaredArgs);
    const secretArgs = declaredArgs.filter(a => a.secretKeyRef).map(a => a.name);
    for (const arg of this.authentication?.secretArgs ?? []) {
      if (declaredArgs.some(a => a.name === arg) && !secretArgs.includes(arg)) {
        problem('authentication.clientSecretArg', arg, 'carries a credential, which must not be written into dist/', `declare '${arg}' with a secretKeyRef`);
      }
    }
  }

  /** Range bounds that are neither a Duration nor a RangeTime (cast from a string), bad expressions, an empty range. */
  private rangeQueryProblems(problem: MetricProblem, range: PrometheusRangeQuery): void {
    const bounds = [['start', range.start], ['end', range.end ?? Duration.seconds(0)]] as const;
    for (const [field, bound] of bounds) {
      const time = rangeTime(bound);
      const invalid = time === undefined ? 'must be a Duration or a RangeTime' : time.problem();
      if (invalid) problem(`rangeQuery.${field}`, time?.text ?? bound, invalid, 'give a Duration before now, or RangeTime.expression(\'now() - duration("{{args.NAME}}")\')');
    }
    if (!(range.step instanceof Duration)) problem('rangeQuery.step', range.step, 'must be a Duration', 'give the resolution as a Duration, e.g. Duration.minutes(1)');
    const [start, end] = [rangeTime(range.start)?.secondsAgo, rangeTime(range.end ?? Duration.seconds(0))?.secondsAgo];
    if (start !== undefined && end !== undefined && end >= start) {
      problem('rangeQuery.end', goDuration(rangeTime(range.end)!.duration!), `must be less far back than start (${goDuration(rangeTime(range.start)!.duration!)}), or the range is empty`, 'lower end or raise start');
    }
  }

  /** @internal */
  protected _conditions(): Pick<at.AnalysisTemplateSpecMetrics, 'successCondition' | 'failureCondition'> {
    return { successCondition: this.threshold.successCondition(), failureCondition: this.threshold.failureCondition() };
  }

  /** @internal */
  protected _provider(): at.AnalysisTemplateSpecMetricsProvider {
    const headers = Object.entries(this.headers).map(([key, value]) => ({ key, value }));
    const range = this.rangeQuery;
    // The controller evaluates start and end as expr-lang time expressions (metricproviders/prometheus/prometheus.go, evaluate.EvalTime).
    // A bound cast from another type is written as given and reported by providerProblems.
    const bound = (b: unknown) => rangeTime(b)?.render() ?? String(b);
    return {
      prometheus: {
        address: this.address,
        query: this.query,
        timeout: seconds(this.timeout),
        headers: headers.length ? headers : undefined,
        authentication: this.authentication?._toJson(),
        insecure: this.insecure || undefined,
        rangeQuery: range ? {
          start: bound(range.start),
          end: bound(range.end ?? Duration.seconds(0)),
          step: range.step instanceof Duration ? goDuration(range.step) : String(range.step),
        } : undefined,
      },
    };
  }
}

/** A Prometheus metric judged by a typed {@link Threshold}, which this project can evaluate itself (live checks, simulation). */
export type ThresholdMetric = PrometheusMetric<Threshold>;

/** Whether `metric` is a Prometheus metric with a typed threshold. */
export function isThresholdMetric(metric: Metric): metric is ThresholdMetric {
  return metric instanceof PrometheusMetric && metric.threshold instanceof Threshold;
}
