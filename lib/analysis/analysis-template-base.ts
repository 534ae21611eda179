import { ApiObject, ApiObjectMetadata } from 'cdk8s';
import { Construct } from 'constructs';
import * as at from '../../imports/analysistemplate-argoproj.io';
import { reportAt } from '../errors/problem';
import { AnalysisArg, isRequiredArg } from './analysis-arg';
import { PrometheusMetric } from './prometheus-metric';

/** Properties shared by {@link AnalysisTemplate} and {@link ClusterAnalysisTemplate}. */
export interface AnalysisTemplateProps {
  /**
   * Metadata; give it an explicit `name`.
   * @default - a name derived from the construct path
   */
  readonly metadata?: ApiObjectMetadata;
  /** The metrics measured; at least one. */
  readonly metrics: PrometheusMetric[];
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
export abstract class AnalysisTemplateBase extends Construct {
  /** The template's `metadata.name`, which Rollouts refer to. */
  public readonly name: string;
  /** The declared args. */
  public readonly args: readonly AnalysisArg[];
  /** The metrics measured. */
  public readonly metrics: readonly PrometheusMetric[];
  /** Whether Rollouts must refer to this template with `clusterScope: true`. */
  public abstract readonly clusterScoped: boolean;

  protected constructor(
    scope: Construct,
    id: string,
    props: AnalysisTemplateProps,
    createResource: (self: Construct, spec: at.AnalysisTemplateSpec) => ApiObject,
  ) {
    super(scope, id);
    this.args = props.args ?? [];
    this.metrics = props.metrics;
    if (this.metrics.length === 0) {
      reportAt(this, 'metrics', [], 'an analysis template needs at least one metric', 'add a PrometheusMetric, e.g. from a preset in lib/analysis/presets.ts');
    }
    const names = this.metrics.map(m => m.name);
    const duplicate = names.find((n, i) => names.indexOf(n) !== i);
    if (duplicate !== undefined) {
      reportAt(this, 'metrics[].name', duplicate, 'metric names must be unique within a template', 'rename one of the metrics');
    }
    this.name = createResource(this, this.toSpec()).name;
    this.node.addValidation({ validate: () => this.metrics.flatMap(m => m.problems(this, this.args)) });
  }

  /** The args without a default or a Secret, which every caller must fill in. */
  public get requiredArgs(): string[] {
    return this.args.filter(isRequiredArg).map(a => a.name);
  }

  private toSpec(): at.AnalysisTemplateSpec {
    const dryRun = this.metrics.filter(m => m.dryRun).map(m => ({ metricName: m.name }));
    const retention = this.metrics.filter(m => m.measurementRetention !== undefined)
      .map(m => ({ metricName: m.name, limit: m.measurementRetention! }));
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
