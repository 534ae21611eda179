import { Duration } from 'cdk8s';
import * as at from '../../imports/analysistemplate-argoproj.io';
import { seconds } from '../private/durations';
import { requireFields } from '../private/required';
import { ConditionExpression } from './condition-expression';
import { DurationField, Metric, MetricProblem, MetricProps } from './metric';
import { referencedArgs } from './promql';
import { ScalarThreshold } from './scalar-threshold';

/** The provider's NRQL timeout when none is set (metricproviders/newrelic/newrelic.go, defaultNrqlTimeout). */
export const DEFAULT_NEW_RELIC_TIMEOUT = Duration.seconds(5);

/** A plain threshold on one field of the NRQL result, e.g. `successRate` of `... as successRate`. */
export interface NewRelicFieldThreshold {
  /** The result's field: the `AS` name of the query, or `function.field` such as `average.duration`. */
  readonly field: string;
  /** The threshold the field's value must meet. */
  readonly threshold: ScalarThreshold;
}

/** Properties of a {@link NewRelicMetric}. */
export interface NewRelicMetricProps extends MetricProps {
  /** The NRQL query; it may refer to template args as `{{args.NAME}}`. */
  readonly query: string;
  /** How the result is judged: a plain threshold on one field, or reviewed expressions. */
  readonly condition: NewRelicFieldThreshold | ConditionExpression;
  /**
   * The Secret (in the controller's namespace) holding the account id and API key.
   * @default - omitted: the provider's Secret `newrelic`
   */
  readonly profile?: string;
  /**
   * The NRQL query timeout, in whole seconds.
   * @default - omitted: the provider's 5 seconds
   */
  readonly timeout?: Duration;
}

/**
 * A measurement by a New Relic NRQL query (metricproviders/newrelic/newrelic.go): one result row is
 * judged as a map, several as a list of maps, none fails the measurement (processResponse). The
 * condition is a plain threshold on one field; this is not a canary-against-stable comparison.
 */
export class NewRelicMetric extends Metric {
  public readonly query: string;
  public readonly condition: NewRelicFieldThreshold | ConditionExpression;
  public readonly profile?: string;
  public readonly timeout?: Duration;

  constructor(props: NewRelicMetricProps) {
    super(props);
    requireFields(`metric '${props.name}'`, props, ['query', 'condition']);
    this.query = props.query;
    this.condition = props.condition;
    this.profile = props.profile;
    this.timeout = props.timeout;
  }

  /** The args the query refers to. */
  public get referencedArgs(): string[] {
    return referencedArgs(this.query);
  }

  public get reviewReason(): string | undefined {
    return this.condition instanceof ConditionExpression ? this.condition.reason : undefined;
  }

  protected get argField(): string {
    return 'query';
  }

  protected durationFields(): DurationField[] {
    return [['timeout', this.timeout, 1]];
  }

  protected providerProblems(problem: MetricProblem): void {
    if (!this.query.trim()) problem('query', this.query, 'is required: the provider runs this nrql query', 'write the query, e.g. FROM Transaction SELECT percentage(count(*), WHERE httpResponseCode != 500) as successRate');
    const condition = this.condition;
    if (condition instanceof ConditionExpression) {
      for (const args of condition.problems('condition', false)) problem(...args);
      return;
    }
    if (!condition.field.trim()) problem('condition.field', condition.field, 'must name a field of the result', 'give the AS name of the query, e.g. successRate');
    for (const args of condition.threshold.problems('condition.threshold')) problem(...args);
  }

  /** @internal */
  protected _conditions(): Pick<at.AnalysisTemplateSpecMetrics, 'successCondition' | 'failureCondition'> {
    const condition = this.condition;
    if (condition instanceof ConditionExpression) {
      return { successCondition: condition.successCondition(), failureCondition: condition.failureCondition() };
    }
    // A field named `function.field` cannot be read with a dot (docs/analysis/newrelic.md): `result['average.duration']`.
    const subject = /^[A-Za-z_][A-Za-z0-9_]*$/.test(condition.field) ? `result.${condition.field}` : `result[${JSON.stringify(condition.field)}]`;
    return { successCondition: condition.threshold.compare(subject) };
  }

  /** @internal */
  protected _provider(): at.AnalysisTemplateSpecMetricsProvider {
    return { newRelic: { profile: this.profile, query: this.query, timeout: this.timeout && seconds(this.timeout) } };
  }
}
