import { ApiObjectMetadata } from 'cdk8s';
import { Construct } from 'constructs';
import { PrometheusMetric } from './prometheus-metric';
import * as at from '../../imports/analysistemplate-argoproj.io';
import { failAt } from '../util/errors';

/** An argument an AnalysisTemplate declares; callers fill it in from the Rollout's analysis step. */
export interface AnalysisArg {
  /** The arg's name, referred to as `{{args.NAME}}`. */
  readonly name: string;
  /**
   * A default value; args without one must get a value from every step that runs the template.
   * @default - none: every caller must pass a value
   */
  readonly value?: string;
}

/** Properties of an {@link AnalysisTemplate}. */
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
 * An Argo Rollouts AnalysisTemplate measuring the canary with Prometheus. Every metric is checked at
 * synth time: PromQL syntax, declared args, finite count and limits, unique names.
 */
export class AnalysisTemplate extends Construct {
  /** The template's `metadata.name`, which Rollout steps refer to. */
  public readonly name: string;
  /** The declared args. */
  public readonly args: readonly AnalysisArg[];
  /** The metrics measured. */
  public readonly metrics: readonly PrometheusMetric[];
  private readonly resource: at.AnalysisTemplate;

  constructor(scope: Construct, id: string, props: AnalysisTemplateProps) {
    super(scope, id);
    this.args = props.args ?? [];
    this.metrics = props.metrics;
    if (this.metrics.length === 0) {
      failAt(this, 'metrics', [], 'an analysis template needs at least one metric', 'add a PrometheusMetric, e.g. from successRateMetric()');
    }
    const names = this.metrics.map(m => m.name);
    const duplicate = names.find((n, i) => names.indexOf(n) !== i);
    if (duplicate !== undefined) {
      failAt(this, 'metrics[].name', duplicate, 'metric names must be unique within a template', 'rename one of the metrics');
    }
    this.resource = new at.AnalysisTemplate(this, 'Resource', {
      metadata: props.metadata,
      spec: {
        args: this.args.length ? this.args.map(a => ({ name: a.name, value: a.value })) : undefined,
        metrics: this.metrics.map(m => m.toMetric()),
      },
    });
    this.name = this.resource.name;
    this.node.addValidation({
      validate: () => this.metrics.flatMap(m => m.problems(this, this.args.map(a => a.name))),
    });
  }

  /** The args without a default, which every caller must fill in. */
  public get requiredArgs(): string[] {
    return this.args.filter(a => a.value === undefined).map(a => a.name);
  }
}
