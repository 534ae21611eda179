import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import * as at from '../../imports/analysistemplate-argoproj.io';
import { problemAt } from '../errors/problem';
import { goDuration, seconds, wholeSecondsProblems } from '../private/durations';
import { AnalysisArg } from './analysis-arg';
import { PrometheusAuth } from './prometheus-auth';
import { promqlSyntaxError, referencedArgs } from './promql';
import { Threshold } from './threshold';

/** How often a metric measures by default; the presets also use it as their rate window. */
export const DEFAULT_ANALYSIS_INTERVAL = Duration.minutes(1);

/** Headers that carry credentials; their values must come from Secret-backed args. */
const CREDENTIAL_HEADER = /^(authorization|proxy-authorization|cookie|x-api-key)$|token|secret/i;

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
   * Inconclusive measurements tolerated; one more pauses the rollout for a human.
   * @default 0
   */
  readonly inconclusiveLimit?: number;
  /**
   * Consecutive query errors tolerated (Argo Rollouts' own default is 4).
   * @default 4
   */
  readonly consecutiveErrorLimit?: number;
  /**
   * Consecutive successful measurements that end the metric early as successful.
   * @default - the metric runs all `count` measurements
   */
  readonly consecutiveSuccessLimit?: number;
  /**
   * Wait before the first measurement, so the canary has taken traffic.
   * @default - measure at once
   */
  readonly initialDelay?: Duration;
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

/** A measurement of the canary by Prometheus: one entry of an analysis template's `metrics`. */
export class PrometheusMetric {
  public readonly name: string;
  public readonly address: string;
  public readonly query: string;
  public readonly threshold: Threshold;
  public readonly interval: Duration;
  public readonly count: number;
  public readonly failureLimit: number;
  public readonly inconclusiveLimit: number;
  public readonly consecutiveErrorLimit: number;
  public readonly consecutiveSuccessLimit?: number;
  public readonly initialDelay?: Duration;
  public readonly timeout: Duration;
  public readonly headers: Readonly<Record<string, string>>;
  public readonly authentication?: PrometheusAuth;
  public readonly dryRun: boolean;
  public readonly measurementRetention?: number;

  constructor(props: PrometheusMetricProps) {
    this.name = props.name;
    this.address = props.address;
    this.query = props.query;
    this.threshold = props.threshold;
    this.interval = props.interval ?? DEFAULT_ANALYSIS_INTERVAL;
    this.count = props.count ?? 5;
    this.failureLimit = props.failureLimit ?? 0;
    this.inconclusiveLimit = props.inconclusiveLimit ?? 0;
    this.consecutiveErrorLimit = props.consecutiveErrorLimit ?? 4;
    this.consecutiveSuccessLimit = props.consecutiveSuccessLimit;
    this.initialDelay = props.initialDelay;
    this.timeout = props.timeout ?? Duration.seconds(30);
    this.headers = props.headers ?? {};
    this.authentication = props.authentication;
    this.dryRun = props.dryRun ?? false;
    this.measurementRetention = props.measurementRetention;
  }

  /** The args the query, headers and authentication refer to. */
  public get referencedArgs(): string[] {
    return [...new Set([
      ...referencedArgs(this.query),
      ...Object.values(this.headers).flatMap(referencedArgs),
      ...this.authentication?.secretArgs ?? [],
    ])];
  }

  /** Problems with this metric, each naming `scope`, the metric and the field. */
  public problems(scope: IConstruct, declaredArgs: readonly AnalysisArg[]): string[] {
    const field = (name: string) => `metrics[${this.name}].${name}`;
    const problems: string[] = [];
    const problem = (name: string, value: unknown, rule: string, fix: string) => problems.push(problemAt(scope, field(name), value, rule, fix));
    const syntax = promqlSyntaxError(this.query);
    if (syntax) problem('query', this.query, `is not valid promql: ${syntax}`, 'fix the query; try it in the prometheus ui first');
    const declared = declaredArgs.map(a => a.name);
    for (const arg of this.referencedArgs.filter(a => !declared.includes(a))) {
      problem('query', `{{args.${arg}}}`, 'refers to an arg the template does not declare', `declare '${arg}' in the template's args or fix the name`);
    }
    problems.push(...this.limitProblems(scope, field));
    problems.push(...wholeSecondsProblems(scope, field('interval'), this.interval, 1));
    problems.push(...wholeSecondsProblems(scope, field('timeout'), this.timeout, 1));
    problems.push(...wholeSecondsProblems(scope, field('initialDelay'), this.initialDelay));
    if (!Number.isFinite(this.threshold.bound)) problem('threshold', this.threshold.bound, 'must be a finite number', 'compare with a finite bound');
    const secretArgs = declaredArgs.filter(a => a.secretKeyRef).map(a => a.name);
    for (const [header, value] of Object.entries(this.headers).filter(([h]) => CREDENTIAL_HEADER.test(h))) {
      const args = referencedArgs(value);
      if (args.length === 0 || args.some(a => !secretArgs.includes(a))) {
        problem(`headers.${header}`, value, 'carries a credential, which must not be written into dist/', `declare an arg with secretKeyRef and use '{{args.NAME}}' as the value`);
      }
    }
    for (const arg of this.authentication?.secretArgs ?? []) {
      if (declared.includes(arg) && !secretArgs.includes(arg)) {
        problem('authentication.clientSecretArg', arg, 'carries a credential, which must not be written into dist/', `declare '${arg}' with a secretKeyRef`);
      }
    }
    return problems;
  }

  /**
   * The metric as the analysis template L1 takes it.
   * @internal
   */
  public _toMetric(): at.AnalysisTemplateSpecMetrics {
    const headers = Object.entries(this.headers).map(([key, value]) => ({ key, value }));
    return {
      name: this.name,
      interval: goDuration(this.interval),
      count: at.AnalysisTemplateSpecMetricsCount.fromNumber(this.count),
      failureLimit: at.AnalysisTemplateSpecMetricsFailureLimit.fromNumber(this.failureLimit),
      inconclusiveLimit: this.inconclusiveLimit ? at.AnalysisTemplateSpecMetricsInconclusiveLimit.fromNumber(this.inconclusiveLimit) : undefined,
      consecutiveErrorLimit: at.AnalysisTemplateSpecMetricsConsecutiveErrorLimit.fromNumber(this.consecutiveErrorLimit),
      consecutiveSuccessLimit: this.consecutiveSuccessLimit !== undefined
        ? at.AnalysisTemplateSpecMetricsConsecutiveSuccessLimit.fromNumber(this.consecutiveSuccessLimit) : undefined,
      initialDelay: this.initialDelay ? goDuration(this.initialDelay) : undefined,
      successCondition: this.threshold.successCondition(),
      failureCondition: this.threshold.failureCondition(),
      provider: {
        prometheus: {
          address: this.address,
          query: this.query,
          timeout: seconds(this.timeout),
          headers: headers.length ? headers : undefined,
          authentication: this.authentication?._toJson(),
        },
      },
    };
  }

  /** The count and limit rules of the Argo Rollouts controller, plus limits that can never trigger. */
  private limitProblems(scope: IConstruct, field: (name: string) => string): string[] {
    const problems: string[] = [];
    const isCount = (n: number | undefined, min: number) => n === undefined || (Number.isInteger(n) && n >= min);
    if (!isCount(this.count, 1)) {
      problems.push(problemAt(scope, field('count'), this.count, 'must be a positive integer: step analysis needs a finite count', 'set a count such as 5'));
      return problems;
    }
    const limits = [
      ['failureLimit', this.failureLimit, 0, 'set 0 to abort on the first failed measurement'],
      ['inconclusiveLimit', this.inconclusiveLimit, 0, 'set 0 to pause on the first inconclusive measurement'],
      ['consecutiveErrorLimit', this.consecutiveErrorLimit, 0, 'keep the default of 4'],
      ['consecutiveSuccessLimit', this.consecutiveSuccessLimit, 1, 'remove it to run every measurement'],
    ] as const;
    for (const [name, value, min, fix] of limits) {
      if (!isCount(value, min)) problems.push(problemAt(scope, field(name), value, `must be an integer of at least ${min}`, fix));
    }
    if (problems.length) return problems;
    if (this.failureLimit >= this.count) {
      problems.push(problemAt(scope, field('failureLimit'), this.failureLimit, `must be below count (${this.count}), or no number of failures can abort the rollout`, `lower failureLimit below ${this.count}`));
    }
    if (this.inconclusiveLimit >= this.count) {
      problems.push(problemAt(scope, field('inconclusiveLimit'), this.inconclusiveLimit,
        `must be below count (${this.count}), or a metric whose every measurement is inconclusive passes`, `lower inconclusiveLimit below ${this.count}`));
    }
    const needed = this.failureLimit + (this.consecutiveSuccessLimit ?? 0);
    if (this.consecutiveSuccessLimit !== undefined && this.count < needed) {
      problems.push(problemAt(scope, field('consecutiveSuccessLimit'), this.consecutiveSuccessLimit, `count (${this.count}) must be at least failureLimit + consecutiveSuccessLimit (${needed})`, `raise count to ${needed} or lower the limits`));
    }
    return problems;
  }
}
