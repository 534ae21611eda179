import { Duration } from 'cdk8s';
import * as at from '../../imports/analysistemplate-argoproj.io';
import { goDuration } from '../private/durations';
import { requireFields } from '../private/required';
import { ConditionExpression } from './condition-expression';
import { DurationField, Metric, MetricProblem, MetricProps } from './metric';
import { referencedArgs } from './promql';
import { ScalarThreshold } from './scalar-threshold';
import { Verdict } from './threshold';

/** The Datadog API the provider queries (pkg/apis/rollouts/v1alpha1/analysis_types.go, DatadogMetric.ApiVersion). */
export class DatadogApiVersion {
  /** `/api/v1/query`: one `query`; the controller's default, which Datadog will deprecate. */
  public static readonly V1 = new DatadogApiVersion('v1');
  /** `/api/v2/query/scalar`: a `query`, or `queries` combined by a `formula`. */
  public static readonly V2 = new DatadogApiVersion('v2');

  private constructor(public readonly value: 'v1' | 'v2') {}
}

/** Aggregators of v2 metric queries (analysis_types.go, DatadogMetric.Aggregator). */
export type DatadogAggregator = 'avg' | 'min' | 'max' | 'sum' | 'last' | 'percentile' | 'mean' | 'l2norm' | 'area';

/** The Secret holding the Datadog address, API key and app key. */
export interface DatadogSecretRef {
  /** The Secret's name. */
  readonly name: string;
  /**
   * Read it from the template's namespace instead of the controller's.
   * @default false
   */
  readonly namespaced?: boolean;
}

/** Properties of a {@link DatadogMetric}. */
export interface DatadogMetricProps extends MetricProps {
  /**
   * One metric query, e.g. `sum:requests.error.rate{service:{{args.service-name}}}`; it may refer to args.
   * @default - none: give `queries` and a `formula` instead (v2 only)
   */
  readonly query?: string;
  /**
   * Named queries a `formula` combines (v2 only), e.g. `{ a: 'sum:requests.errors{...}.as_count()', b: '...' }`.
   * @default - none
   */
  readonly queries?: Record<string, string>;
  /**
   * The formula over the named `queries`, e.g. `a/b`.
   * @default - none: only with a single query
   */
  readonly formula?: string;
  /** The condition on the value: a plain threshold, or reviewed expressions. */
  readonly threshold: ScalarThreshold | ConditionExpression;
  /**
   * The verdict when Datadog returns no data (the provider then judges a nil result,
   * metricproviders/datadog/datadog.go, parseResponseV1/V2); only with a ScalarThreshold.
   * @default Verdict.FAIL
   */
  readonly onEmpty?: Verdict;
  /**
   * The API to query.
   * @default - omitted: the controller's default, v1 (analysis_types.go, `+kubebuilder:default=v1`)
   */
  readonly apiVersion?: DatadogApiVersion;
  /**
   * The time window each query covers (the provider's `interval`, not how often the metric measures).
   * @default - omitted: the CRD's default of 5 minutes
   */
  readonly window?: Duration;
  /**
   * The aggregator of metric queries (v2 only).
   * @default - Datadog's own
   */
  readonly aggregator?: DatadogAggregator;
  /**
   * The Secret with the credentials.
   * @default - the controller's environment, then the Secret `datadog` in the controller's namespace
   */
  readonly secretRef?: DatadogSecretRef;
}

/**
 * A measurement by a Datadog query (metricproviders/datadog/datadog.go): the last point of the first
 * series (v1) or the scalar (v2) is judged by a plain threshold; this is not a canary-against-stable
 * comparison. The provider's own rules (validateIncomingProps, findCredentials) are checked at synth.
 */
export class DatadogMetric extends Metric {
  public readonly query?: string;
  public readonly queries: Readonly<Record<string, string>>;
  public readonly formula?: string;
  public readonly threshold: ScalarThreshold | ConditionExpression;
  public readonly onEmpty: Verdict;
  public readonly apiVersion?: DatadogApiVersion;
  public readonly window?: Duration;
  public readonly aggregator?: DatadogAggregator;
  public readonly secretRef?: DatadogSecretRef;

  constructor(props: DatadogMetricProps) {
    super(props);
    requireFields(`metric '${props.name}'`, props, ['threshold']);
    this.query = props.query;
    this.queries = props.queries ?? {};
    this.formula = props.formula;
    this.threshold = props.threshold;
    this.onEmpty = props.onEmpty ?? Verdict.FAIL;
    this.apiVersion = props.apiVersion;
    this.window = props.window;
    this.aggregator = props.aggregator;
    this.secretRef = props.secretRef;
  }

  /** The args the queries and the formula refer to. */
  public get referencedArgs(): string[] {
    return [...new Set([this.query ?? '', ...Object.values(this.queries), this.formula ?? ''].flatMap(referencedArgs))];
  }

  public get reviewReason(): string | undefined {
    return this.threshold instanceof ConditionExpression ? this.threshold.reason : undefined;
  }

  protected get argField(): string {
    return this.query !== undefined ? 'query' : 'queries';
  }

  protected durationFields(): DurationField[] {
    return [['window', this.window, 1]];
  }

  /** The rules of metricproviders/datadog/datadog.go, validateIncomingProps and findCredentials. */
  protected providerProblems(problem: MetricProblem): void {
    const queries = Object.keys(this.queries).length;
    const v1 = (this.apiVersion ?? DatadogApiVersion.V1) === DatadogApiVersion.V1;
    if (!this.query && queries === 0) problem('query', this.query ?? '(none)', 'is required: the provider needs a query or queries', 'give query, or queries with a formula (v2)');
    if (this.query && queries > 0) problem('queries', Object.keys(this.queries), 'is set beside query, and the provider refuses both', 'keep one of query and queries');
    if (v1 && queries > 0) problem('queries', Object.keys(this.queries), 'work only with api v2; v1 takes a single query', 'set apiVersion: DatadogApiVersion.V2');
    if (this.formula !== undefined && queries === 0) problem('formula', this.formula, 'is valid only with queries', 'give the queries it combines, or drop the formula');
    if (this.formula === undefined && queries > 1) problem('queries', Object.keys(this.queries), 'more than one query needs a formula: datadog returns a column each, in no set order', 'add a formula, e.g. \'a/b\'');
    if (v1 && this.aggregator !== undefined) problem('aggregator', this.aggregator, 'works only with api v2', 'set apiVersion: DatadogApiVersion.V2 or drop the aggregator');
    if (this.secretRef && !this.secretRef.name) problem('secretRef.name', this.secretRef.name, 'is required: the provider looks the secret up by name', 'give the name of the secret with address, api-key and app-key');
    if (this.threshold instanceof ScalarThreshold) {
      for (const args of this.threshold.problems('threshold')) problem(...args);
    } else {
      if (this.onEmpty !== Verdict.FAIL) problem('onEmpty', this.onEmpty.phase, 'applies only to a ScalarThreshold; reviewed expressions say themselves what no data means', 'use default(result, ...) or isNil(result) in the expressions');
      for (const args of this.threshold.problems('threshold', false)) problem(...args);
    }
  }

  /** @internal */
  protected _conditions(): Pick<at.AnalysisTemplateSpecMetrics, 'successCondition' | 'failureCondition'> {
    const threshold = this.threshold;
    if (threshold instanceof ConditionExpression) {
      return { successCondition: threshold.successCondition(), failureCondition: threshold.failureCondition() };
    }
    // Without data the result is nil (datadog.go passes a nil *float64), and comparing nil errors:
    // isNil(result) makes the verdict explicit (utils/evaluate/evaluate.go, isNilFunc).
    const compare = threshold.compare('result');
    switch (this.onEmpty) {
      case Verdict.PASS: return { successCondition: `isNil(result) || ${compare}` };
      case Verdict.INCONCLUSIVE: return { successCondition: `!isNil(result) && ${compare}`, failureCondition: `!isNil(result) && !(${compare})` };
      default: return { successCondition: `!isNil(result) && ${compare}` };
    }
  }

  /** @internal */
  protected _provider(): at.AnalysisTemplateSpecMetricsProvider {
    const queries = Object.keys(this.queries).length ? { ...this.queries } : undefined;
    return {
      datadog: {
        apiVersion: this.apiVersion?.value as at.AnalysisTemplateSpecMetricsProviderDatadogApiVersion | undefined,
        interval: this.window && goDuration(this.window),
        query: this.query,
        queries,
        formula: this.formula,
        aggregator: this.aggregator as at.AnalysisTemplateSpecMetricsProviderDatadogAggregator | undefined,
        secretRef: this.secretRef && { name: this.secretRef.name, namespaced: this.secretRef.namespaced || undefined },
      },
    };
  }
}
