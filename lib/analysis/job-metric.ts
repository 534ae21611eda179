import * as kplus from 'cdk8s-plus-28';
import * as at from '../../imports/analysistemplate-argoproj.io';
import { ACCEPTED_RULE } from '../private/accepted-rules';
import { toCrdSpec } from '../private/crd-spec';
import { requireFields } from '../private/required';
import { AnalysisArg } from './analysis-arg';
import { Metric, MetricProblem, MetricProps } from './metric';
import { referencedArgs } from './promql';

/** A Job metric runs its Job once unless told otherwise: a smoke test passes or fails. */
export const DEFAULT_JOB_METRIC_COUNT = 1;

/** Pod restart policies a Job accepts (Kubernetes rejects `Always` for Jobs). */
const JOB_RESTART_POLICIES = ['Never', 'OnFailure'];

/** Properties of a {@link JobMetric}. */
export interface JobMetricProps extends MetricProps {
  /**
   * The Job to run for each measurement; it may refer to template args as `{{args.NAME}}`. It must
   * set `activeDeadlineSeconds` (unless `acceptNoDeadline` says why not), and its pods a
   * `restartPolicy` of `Never` or `OnFailure`.
   */
  readonly spec: kplus.k8s.JobSpec;
  /**
   * Why a Job without `activeDeadlineSeconds` is accepted, as in the upstream examples
   * (examples/analysis-templates.yaml): the controller waits for the Job with no timeout of its own
   * (metricproviders/job/job.go), so a hung Job holds the rollout until someone aborts it. Recorded on
   * the template as the annotation `infra-delivery.io/accepted-rules`, listed by `npm run plan` and flagged by `npm run review`.
   * @default - the Job must set activeDeadlineSeconds
   */
  readonly acceptNoDeadline?: string;
  /**
   * Labels and annotations of the Job.
   * @default - only those the controller adds
   */
  readonly metadata?: { readonly labels?: Record<string, string>; readonly annotations?: Record<string, string> };
  /**
   * How many times to run the Job.
   * @default 1
   */
  readonly count?: number;
}

/**
 * A measurement by a Kubernetes Job: it passes when the Job completes and fails when the Job fails
 * (metricproviders/job/job.go), the usual smoke or load test. The controller creates the Job in the
 * Rollout's namespace, owned by the AnalysisRun, and waits for it with no timeout of its own.
 */
export class JobMetric extends Metric {
  public readonly spec: kplus.k8s.JobSpec;
  public readonly metadata?: JobMetricProps['metadata'];
  /** Why a Job without a deadline is accepted, if it is. */
  public readonly acceptNoDeadline?: string;

  constructor(props: JobMetricProps) {
    super({ ...props, count: props.count ?? DEFAULT_JOB_METRIC_COUNT });
    requireFields(`metric '${props.name}'`, props, ['spec']);
    requireFields(`metric '${props.name}'.spec`, props.spec, ['template']);
    this.spec = props.spec;
    this.metadata = props.metadata;
    this.acceptNoDeadline = props.acceptNoDeadline;
  }

  public get acceptedRules(): Record<string, string> {
    return this.acceptNoDeadline === undefined ? {} : { [ACCEPTED_RULE.JOB_WITHOUT_DEADLINE]: this.acceptNoDeadline };
  }

  /** The args the Job's spec refers to. */
  public get referencedArgs(): string[] {
    return [...new Set(referencedArgs(JSON.stringify(kplus.k8s.toJson_JobSpec(this.spec))))];
  }

  protected get argField(): string {
    return 'spec';
  }

  protected providerProblems(problem: MetricProblem, _declaredArgs: readonly AnalysisArg[]): void {
    // The Job is named `<run uid>.<metric name>.<n>`, a DNS subdomain (metricproviders/job/job.go, newJobName).
    if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(this.name)) {
      problem('name', this.name, 'names the job the controller creates, which must be lowercase letters, digits, \'-\' and \'.\'', 'rename the metric, e.g. \'smoke-test\'');
    }
    const { activeDeadlineSeconds: deadline, backoffLimit } = this.spec;
    if (this.acceptNoDeadline !== undefined) {
      if (!this.acceptNoDeadline.trim()) {
        problem('acceptNoDeadline', this.acceptNoDeadline, 'must give the reason a job without a deadline is accepted', 'write the reason, e.g. \'the test times out by itself after 5 minutes\'');
      } else if (deadline !== undefined) {
        problem('acceptNoDeadline', this.acceptNoDeadline, 'accepts a job without a deadline but activeDeadlineSeconds is set', 'remove acceptNoDeadline');
      }
    } else if (deadline === undefined) {
      problem('spec.activeDeadlineSeconds', '(none)', 'is required: the controller waits for the job without a timeout, so a hung job holds the rollout forever', 'set activeDeadlineSeconds, e.g. 300, or acceptNoDeadline with the reason');
    }
    if (deadline !== undefined && (!Number.isInteger(deadline) || deadline < 1)) {
      problem('spec.activeDeadlineSeconds', deadline, 'must be a positive integer', 'set activeDeadlineSeconds, e.g. 300');
    }
    if (backoffLimit !== undefined && (!Number.isInteger(backoffLimit) || backoffLimit < 0)) {
      problem('spec.backoffLimit', backoffLimit, 'must be an integer of at least 0', 'set 0 to fail on the first failed pod');
    }
    const podSpec = this.spec.template.spec;
    if (!podSpec?.containers.length) {
      problem('spec.template.spec.containers', [], 'a job needs at least one container', 'add the container that runs the test');
    }
    if (!JOB_RESTART_POLICIES.includes(podSpec?.restartPolicy ?? 'Always')) {
      problem('spec.template.spec.restartPolicy', podSpec?.restartPolicy ?? '(none: Always)', 'must be Never or OnFailure; Kubernetes refuses a job whose pods always restart', 'set restartPolicy: \'Never\'');
    }
  }

  /** @internal */
  protected _conditions(): Pick<at.AnalysisTemplateSpecMetrics, 'successCondition' | 'failureCondition'> {
    // The Job's own outcome is the verdict; conditions do not apply.
    return {};
  }

  /** @internal */
  protected _provider(): at.AnalysisTemplateSpecMetricsProvider {
    return { job: { metadata: this.metadata, spec: toCrdSpec<at.AnalysisTemplateSpecMetricsProviderJobSpec>(this.spec) } };
  }
}
