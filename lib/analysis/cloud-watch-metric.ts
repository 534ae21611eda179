import { Duration } from 'cdk8s';
import * as at from '../../imports/analysistemplate-argoproj.io';
import { goDuration, seconds } from '../private/durations';
import { firstDuplicate } from '../private/names';
import { requireFields } from '../private/required';
import { ConditionExpression } from './condition-expression';
import { DurationField, Metric, MetricProblem, MetricProps } from './metric';
import { referencedArgs } from './promql';

/** A CloudWatch metric a query reads, with the statistic over each period. */
export interface CloudWatchMetricStat {
  /** The metric's namespace, e.g. `AWS/ApplicationELB` or `app`. */
  readonly namespace: string;
  /** The metric's name. */
  readonly metricName: string;
  /**
   * The dimensions that select the series, e.g. `{ LoadBalancer: 'app/my-alb/123' }`.
   * @default - none
   */
  readonly dimensions?: Record<string, string>;
  /** The statistic, e.g. `Sum`, `Average` or `p99`. */
  readonly stat: string;
  /** The period of each data point, in whole seconds. */
  readonly period: Duration;
  /**
   * The unit, e.g. `Count`.
   * @default - CloudWatch's own
   */
  readonly unit?: string;
}

/** One `MetricDataQuery` of GetMetricData: a metric, or an expression over other queries' ids. */
export interface CloudWatchQuery {
  /** The query's id, which expressions refer to: a lowercase letter, then letters, digits and '_'. */
  readonly id: string;
  /**
   * A metric math expression over other ids, e.g. `errors / requests`.
   * @default - none: give metricStat
   */
  readonly expression?: string;
  /**
   * The metric to read.
   * @default - none: give expression
   */
  readonly metricStat?: CloudWatchMetricStat;
  /**
   * A label for the series.
   * @default - CloudWatch's own
   */
  readonly label?: string;
  /**
   * The period of an expression's data points.
   * @default - CloudWatch's own
   */
  readonly period?: Duration;
  /**
   * Whether the series is in the result; an input of an expression usually is not.
   * @default - omitted: CloudWatch's default, true
   */
  readonly returnData?: boolean;
}

/** Properties of a {@link CloudWatchMetric}. */
export interface CloudWatchMetricProps extends MetricProps {
  /** The GetMetricData queries; they may refer to template args as `{{args.NAME}}`. */
  readonly metricDataQueries: CloudWatchQuery[];
  /**
   * Reviewed expressions over the result, a list of series with `Id`, `Label`, `Timestamps` and
   * `Values`, e.g. `all(result[0].Values, {# <= 0.01})` (docs/analysis/cloudwatch.md); indexing this
   * list is not the Prometheus vector rule.
   */
  readonly condition: ConditionExpression;
  /**
   * The time window the queries cover, ending now (the provider's `interval`).
   * @default - omitted: the provider's 5 minutes (metricproviders/cloudwatch/cloudwatch.go)
   */
  readonly window?: Duration;
}

/** An id of GetMetricData: it starts with a lowercase letter (AWS API reference, MetricDataQuery.Id). */
const QUERY_ID = /^[a-z][A-Za-z0-9_]*$/;

/**
 * A measurement by AWS CloudWatch GetMetricData (metricproviders/cloudwatch/cloudwatch.go): the
 * result is the list of returned series, judged by reviewed expressions; a plain threshold, not a
 * canary-against-stable comparison. The controller needs `cloudwatch:GetMetricData` and `AWS_REGION`.
 */
export class CloudWatchMetric extends Metric {
  public readonly metricDataQueries: readonly CloudWatchQuery[];
  public readonly condition: ConditionExpression;
  public readonly window?: Duration;

  constructor(props: CloudWatchMetricProps) {
    super(props);
    requireFields(`metric '${props.name}'`, props, ['metricDataQueries', 'condition']);
    this.metricDataQueries = props.metricDataQueries;
    this.condition = props.condition;
    this.window = props.window;
  }

  /** The args the queries refer to. */
  public get referencedArgs(): string[] {
    return [...new Set(referencedArgs(JSON.stringify(this.metricDataQueries)))];
  }

  public get reviewReason(): string | undefined {
    return this.condition.reason;
  }

  protected get argField(): string {
    return 'metricDataQueries';
  }

  protected durationFields(): DurationField[] {
    return [
      ['window', this.window, 1],
      ...this.metricDataQueries.flatMap((q, i): DurationField[] => [[`metricDataQueries[${i}].period`, q.period, 1], [`metricDataQueries[${i}].metricStat.period`, q.metricStat?.period, 1]]),
    ];
  }

  protected providerProblems(problem: MetricProblem): void {
    const queries = this.metricDataQueries;
    if (queries.length === 0) problem('metricDataQueries', [], 'needs at least one query', 'add a query with a metricStat');
    queries.forEach((query, i) => {
      if (!QUERY_ID.test(query.id)) problem(`metricDataQueries[${i}].id`, query.id, 'must start with a lowercase letter, then letters, digits and \'_\'', 'rename it, e.g. \'errors\'');
      if ((query.expression === undefined) === (query.metricStat === undefined)) {
        problem(`metricDataQueries[${i}]`, query.id, 'needs exactly one of expression and metricStat', 'give a metricStat to read a metric, or an expression over other ids');
      }
    });
    const duplicate = firstDuplicate(queries.map(q => q.id));
    if (duplicate !== undefined) problem('metricDataQueries[].id', duplicate, 'ids must be unique within the metric', 'rename one of the queries');
    if (queries.length > 0 && queries.every(q => q.returnData === false)) {
      problem('metricDataQueries[].returnData', false, 'no query returns data, so the result is empty', 'let the query the condition judges return data');
    }
    for (const args of this.condition.problems('condition', false)) problem(...args);
  }

  /** @internal */
  protected _conditions(): Pick<at.AnalysisTemplateSpecMetrics, 'successCondition' | 'failureCondition'> {
    return { successCondition: this.condition.successCondition(), failureCondition: this.condition.failureCondition() };
  }

  /** @internal */
  protected _provider(): at.AnalysisTemplateSpecMetricsProvider {
    return {
      cloudWatch: {
        interval: this.window && goDuration(this.window),
        metricDataQueries: this.metricDataQueries.map(q => ({
          id: q.id,
          expression: q.expression,
          label: q.label,
          metricStat: q.metricStat && {
            metric: {
              namespace: q.metricStat.namespace,
              metricName: q.metricStat.metricName,
              dimensions: q.metricStat.dimensions && Object.entries(q.metricStat.dimensions).map(([name, value]) => ({ name, value })),
            },
            period: at.AnalysisTemplateSpecMetricsProviderCloudWatchMetricDataQueriesMetricStatPeriod.fromNumber(seconds(q.metricStat.period)),
            stat: q.metricStat.stat,
            unit: q.metricStat.unit,
          },
          period: q.period && at.AnalysisTemplateSpecMetricsProviderCloudWatchMetricDataQueriesPeriod.fromNumber(seconds(q.period)),
          returnData: q.returnData,
        })),
      },
    };
  }
}
