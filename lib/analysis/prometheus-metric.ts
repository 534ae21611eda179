import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { promqlSyntaxError, referencedArgs } from './promql';
import { Threshold } from './threshold';
import * as at from '../../imports/analysistemplate-argoproj.io';
import { goDuration } from '../util/durations';
import { problemAt } from '../util/errors';

/** Properties of a {@link PrometheusMetric}. */
export interface PrometheusMetricProps {
  /** The metric's name, unique within its template; it names the measurement in the AnalysisRun. */
  readonly name: string;
  /** The Prometheus server's base URL. */
  readonly address: string;
  /** The PromQL query; it may refer to template args as `{{args.NAME}}`. It must return an instant vector. */
  readonly query: string;
  /** The condition each measurement's result must meet. */
  readonly threshold: Threshold;
  /**
   * Time between measurements.
   * @default Duration.minutes(1)
   */
  readonly interval?: Duration;
  /**
   * How many measurements to take. Step analysis needs a finite count, or the step never ends.
   * @default 5
   */
  readonly count?: number;
  /**
   * Failed measurements tolerated; one more aborts the rollout.
   * @default 0
   */
  readonly failureLimit?: number;
  /**
   * Consecutive query errors tolerated (Argo Rollouts' own default is 4).
   * @default 4
   */
  readonly consecutiveErrorLimit?: number;
  /**
   * Wait before the first measurement, so the canary has taken traffic.
   * @default - measure at once
   */
  readonly initialDelay?: Duration;
  /**
   * Query timeout.
   * @default Duration.seconds(30)
   */
  readonly timeout?: Duration;
}

/** A measurement of the canary by Prometheus: one entry of an AnalysisTemplate's `metrics`. */
export class PrometheusMetric {
  public readonly name: string;
  public readonly address: string;
  public readonly query: string;
  public readonly threshold: Threshold;
  public readonly interval: Duration;
  public readonly count: number;
  public readonly failureLimit: number;
  public readonly consecutiveErrorLimit: number;
  public readonly initialDelay?: Duration;
  public readonly timeout: Duration;

  constructor(props: PrometheusMetricProps) {
    this.name = props.name;
    this.address = props.address;
    this.query = props.query;
    this.threshold = props.threshold;
    this.interval = props.interval ?? Duration.minutes(1);
    this.count = props.count ?? 5;
    this.failureLimit = props.failureLimit ?? 0;
    this.consecutiveErrorLimit = props.consecutiveErrorLimit ?? 4;
    this.initialDelay = props.initialDelay;
    this.timeout = props.timeout ?? Duration.seconds(30);
  }

  /** The args the query refers to. */
  public get referencedArgs(): string[] {
    return referencedArgs(this.query);
  }

  /** Problems with this metric, each naming `scope`, the metric and the field. */
  public problems(scope: IConstruct, declaredArgs: readonly string[]): string[] {
    const field = (name: string) => `metrics[${this.name}].${name}`;
    const problems: string[] = [];
    const syntax = promqlSyntaxError(this.query);
    if (syntax) {
      problems.push(problemAt(scope, field('query'), this.query, `is not valid promql: ${syntax}`, 'fix the query; try it in the prometheus ui first'));
    }
    for (const arg of this.referencedArgs.filter(a => !declaredArgs.includes(a))) {
      problems.push(problemAt(scope, field('query'), `{{args.${arg}}}`, 'refers to an arg the template does not declare', `declare '${arg}' in the template's args or fix the name`));
    }
    const countIsValid = Number.isInteger(this.count) && this.count >= 1;
    if (!countIsValid) {
      problems.push(problemAt(scope, field('count'), this.count, 'must be a positive integer: step analysis needs a finite count', 'set a count such as 5'));
    }
    if (!Number.isInteger(this.failureLimit) || this.failureLimit < 0) {
      problems.push(problemAt(scope, field('failureLimit'), this.failureLimit, 'must be an integer of at least 0', 'set 0 to abort on the first failed measurement'));
    } else if (countIsValid && this.failureLimit >= this.count) {
      problems.push(problemAt(scope, field('failureLimit'), this.failureLimit, `must be below count (${this.count}), or no number of failures can abort the rollout`, `lower failureLimit below ${this.count}`));
    }
    if (!Number.isInteger(this.consecutiveErrorLimit) || this.consecutiveErrorLimit < 0) {
      problems.push(problemAt(scope, field('consecutiveErrorLimit'), this.consecutiveErrorLimit, 'must be an integer of at least 0', 'keep the default of 4'));
    }
    if (this.interval.toSeconds() < 1) {
      problems.push(problemAt(scope, field('interval'), goDuration(this.interval), 'must be at least 1s', 'set an interval such as Duration.minutes(1)'));
    }
    if (!Number.isFinite(this.threshold.bound)) {
      problems.push(problemAt(scope, field('threshold'), this.threshold.bound, 'must be a finite number', 'compare with a finite bound'));
    }
    return problems;
  }

  /** The metric as the AnalysisTemplate L1 takes it. */
  public toMetric(): at.AnalysisTemplateSpecMetrics {
    return {
      name: this.name,
      interval: goDuration(this.interval),
      count: at.AnalysisTemplateSpecMetricsCount.fromNumber(this.count),
      failureLimit: at.AnalysisTemplateSpecMetricsFailureLimit.fromNumber(this.failureLimit),
      consecutiveErrorLimit: at.AnalysisTemplateSpecMetricsConsecutiveErrorLimit.fromNumber(this.consecutiveErrorLimit),
      initialDelay: this.initialDelay ? goDuration(this.initialDelay) : undefined,
      successCondition: this.threshold.successCondition(),
      failureCondition: this.threshold.failureCondition(),
      provider: {
        prometheus: { address: this.address, query: this.query, timeout: this.timeout.toSeconds() },
      },
    };
  }
}
