import { ApiObject, ApiObjectMetadata, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import * as at from '../../imports/analysistemplate-argoproj.io';
import { reportAt } from '../errors/problem';
import { acceptedRulesAnnotation } from '../private/accepted-rules';
import { firstDuplicate } from '../private/names';
import { requireFields } from '../private/required';
import { AnalysisArg, requiredArgNames } from './analysis-arg';
import { Metric } from './metric';
import { MetricMatch } from './metric-match';

/** The template annotation mapping each metric with hand-written conditions to the reason they were accepted, as JSON. */
export const REVIEWED_CONDITIONS_ANNOTATION = 'infra-delivery.io/reviewed-conditions';

/** An analysis template a Rollout can run: one built here, or one that already exists in the cluster. */
export interface IAnalysisTemplate {
  /** The template's `metadata.name`, which Rollouts refer to. */
  readonly name: string;
  /** Whether Rollouts must refer to this template with `clusterScope: true`. */
  readonly clusterScoped: boolean;
  /** The declared args. */
  readonly args: readonly AnalysisArg[];
  /** The args without a default or a Secret, which every caller must fill in. */
  readonly requiredArgs: string[];
  /** The metrics measured; undefined for a template that exists in the cluster, whose metrics are not known here. */
  readonly metrics?: readonly Metric[];
  /** The namespace of a namespaced template built here, which a Rollout must share. */
  readonly namespace?: string;
}

/** How a template that already exists in the cluster is referred to. */
export interface TemplateReferenceOptions {
  /**
   * The args the template declares, so that every Rollout that runs it is checked for the required ones.
   * @default - none
   */
  readonly args?: AnalysisArg[];
}

/** Properties shared by {@link AnalysisTemplate} and {@link ClusterAnalysisTemplate}. */
export interface AnalysisTemplateProps {
  /**
   * Metadata; give it an explicit `name`.
   * @default - a name derived from the construct path
   */
  readonly metadata?: ApiObjectMetadata;
  /** The metrics measured; at least one: a PrometheusMetric, WebMetric or JobMetric. */
  readonly metrics: Metric[];
  /**
   * The args the metrics refer to.
   * @default - none
   */
  readonly args?: AnalysisArg[];
}

/**
 * What both kinds of analysis template share: the metrics, the args, and every synth-time check of
 * them (PromQL syntax, declared args, counts and limits, unique names, credentials kept out of `dist/`).
 */
export abstract class AnalysisTemplateBase extends Construct implements IAnalysisTemplate {
  public readonly name: string;
  public readonly args: readonly AnalysisArg[];
  public readonly metrics: readonly Metric[];
  public abstract readonly clusterScoped: boolean;

  protected constructor(
    scope: Construct,
    id: string,
    props: AnalysisTemplateProps,
    createResource: (self: Construct, spec: at.AnalysisTemplateSpec) => ApiObject,
  ) {
    super(scope, id);
    requireFields(this.node.path, props, ['metrics']);
    this.args = props.args ?? [];
    this.metrics = props.metrics;
    if (this.metrics.length === 0) {
      reportAt(this, 'metrics', [], 'an analysis template needs at least one metric', 'add a PrometheusMetric (e.g. from a preset in lib/analysis/presets.ts), a WebMetric or a JobMetric');
    }
    const duplicate = firstDuplicate(this.metrics.map(m => m.name));
    if (duplicate !== undefined) {
      reportAt(this, 'metrics[].name', duplicate, 'metric names must be unique within a template', 'rename one of the metrics');
    }
    const resource = createResource(this, this.toSpec());
    this.name = resource.name;
    const reviewed = this.metrics.filter(m => m.reviewReason !== undefined).map(m => [m.name, m.reviewReason]);
    if (reviewed.length) resource.metadata.addAnnotation(REVIEWED_CONDITIONS_ANNOTATION, JSON.stringify(Object.fromEntries(reviewed)));
    const accepted = Object.fromEntries(this.metrics.flatMap(m => Object.entries(m.acceptedRules).map(([rule, reason]) => [`${m.name}/${rule}`, reason])));
    for (const [key, value] of Object.entries(acceptedRulesAnnotation(accepted))) resource.metadata.addAnnotation(key, value);
    this.node.addValidation({ validate: () => this.metrics.flatMap(m => m.problems(this, this.args)) });
  }

  public get namespace(): string | undefined {
    return this.clusterScoped ? undefined : Chart.of(this).namespace;
  }

  public get requiredArgs(): string[] {
    return requiredArgNames(this.args);
  }

  private toSpec(): at.AnalysisTemplateSpec {
    // The controller reads metricName as an unanchored regex, so a bare name would also match longer ones.
    const dryRun = this.metrics.filter(m => m.dryRun).map(m => ({ metricName: MetricMatch.named(m.name).regex }));
    const retention = this.metrics.filter(m => m.measurementRetention !== undefined)
      .map(m => ({ metricName: MetricMatch.named(m.name).regex, limit: m.measurementRetention! }));
    return {
      args: this.args.length
        ? this.args.map(a => ({ name: a.name, value: a.value, valueFrom: a.secretKeyRef ? { secretKeyRef: a.secretKeyRef } : undefined }))
        : undefined,
      metrics: this.metrics.map(m => m._toMetric()),
      dryRun: dryRun.length ? dryRun : undefined,
      measurementRetention: retention.length ? retention : undefined,
    };
  }
}
