import { ApiObjectMetadata, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import * as ex from '../../imports/experiment-argoproj.io';
import { MetricMatch } from '../analysis/metric-match';
import { problemAt } from '../errors/problem';
import { toCrdSpec } from '../private/crd-spec';
import { goDuration, seconds, wholeSecondsProblems } from '../private/durations';
import { unmatchedLabels } from '../private/labels';
import { requireFields } from '../private/required';
import { AnalysisRunMetadata, MeasurementRetention } from './analysis-run';
import { ExperimentAnalysis, ExperimentService } from './experiment-analysis';
import { metricRuleProblems } from './private/analysis-run';
import { experimentAnalysesProblems, templateNameProblems, templateServiceProblems, toExperimentAnalyses } from './private/experiment-checks';

/** One ReplicaSet a standalone {@link Experiment} runs. */
export interface ExperimentReplicaSet {
  /** The name, unique within the experiment; analyses refer to its pod hash as `{{templates.NAME.podTemplateHash}}`. */
  readonly name: string;
  /** The pods to run. */
  readonly podTemplate: kplus.k8s.PodTemplateSpec;
  /**
   * Pods to run.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * The labels the ReplicaSet selects its pods by; they must be labels of the pod template.
   * @default - every label of the pod template
   */
  readonly selector?: Record<string, string>;
  /**
   * A Service for the pods.
   * @default - none
   */
  readonly service?: ExperimentService;
  /**
   * How long a new pod must be ready before it counts as available.
   * @default Duration.seconds(0)
   */
  readonly minReady?: Duration;
}

/** Properties of an {@link Experiment}. */
export interface ExperimentProps {
  /**
   * Metadata.
   * @default - a name derived from the construct path
   */
  readonly metadata?: ApiObjectMetadata;
  /** The ReplicaSets to run side by side. */
  readonly templates: ExperimentReplicaSet[];
  /**
   * How long the experiment runs once every ReplicaSet is available.
   * @default - until every analysis marked requiredForCompletion succeeds, or without one until terminated
   */
  readonly duration?: Duration;
  /**
   * Analyses comparing the ReplicaSets; each runs as its own AnalysisRun.
   * @default - none
   */
  readonly analyses?: ExperimentAnalysis[];
  /**
   * Metrics whose failures are recorded but never fail the experiment; each rule must match a metric of every analysis.
   * @default - none
   */
  readonly dryRun?: MetricMatch[];
  /**
   * Measurements kept per metric; each rule must match a metric of every analysis.
   * @default - none
   */
  readonly measurementRetention?: MeasurementRetention[];
  /**
   * Labels and annotations of the AnalysisRuns.
   * @default - none
   */
  readonly analysisRunMetadata?: AnalysisRunMetadata;
  /**
   * How long the ReplicaSets may take to become available before the experiment fails.
   * @default - the controller's default of 10 minutes
   */
  readonly progressDeadline?: Duration;
  /**
   * How long the ReplicaSets keep running after the experiment ends.
   * @default - the controller's default of 30 seconds
   */
  readonly scaleDownDelay?: Duration;
}

/**
 * An Argo Rollouts Experiment on its own: ReplicaSets run side by side for a while, compared by
 * analyses, e.g. a new version against a baseline before any Rollout changes
 * (docs/features/experiment.md). Each analysis runs as a separate AnalysisRun, and the experiment
 * fails when one of them does (experiments/experiment.go).
 */
export class Experiment extends Construct {
  /** The Experiment's `metadata.name`. */
  public readonly name: string;
  private readonly props: ExperimentProps;

  constructor(scope: Construct, id: string, props: ExperimentProps) {
    super(scope, id);
    requireFields(this.node.path, props, ['templates']);
    this.props = props;
    this.name = new ex.Experiment(this, 'Resource', { metadata: props.metadata, spec: this.toSpec() }).name;
    this.node.addValidation({ validate: () => this.problems() });
  }

  private problems(): string[] {
    const { templates, analyses = [] } = this.props;
    const problems: string[] = [];
    const problem = (field: string, value: unknown, rule: string, fix: string) => problems.push(problemAt(this, field, value, rule, fix));
    if (templates.length === 0) problem('templates', [], 'an experiment needs at least one template', 'add the ReplicaSets to compare');
    problems.push(...templateNameProblems(this, 'templates', templates));
    for (const template of templates) {
      const field = `templates[${template.name}]`;
      const labels = template.podTemplate.metadata?.labels ?? {};
      const selector = template.selector ?? labels;
      const unmatched = unmatchedLabels(selector, labels);
      if (Object.keys(selector).length === 0) {
        problem(`${field}.selector`, {}, 'an empty selector is refused for a replicaset', 'label the pod template, e.g. { app: \'api\', track: \'baseline\' }');
      } else if (unmatched.length) {
        problem(`${field}.selector`, unmatched.join(','), 'is not a label of the pod template, so the replicaset would select none of its pods', 'add the labels to podTemplate.metadata.labels');
      }
      if (!template.podTemplate.spec?.containers.length) problem(`${field}.podTemplate.spec.containers`, [], 'a pod needs at least one container', 'add the container to run');
      if (template.replicas !== undefined && !(Number.isInteger(template.replicas) && template.replicas >= 0)) {
        problem(`${field}.replicas`, template.replicas, 'must be an integer of at least 0', 'run 1 replica or more');
      }
      problems.push(...templateServiceProblems(this, field, template.service));
      problems.push(...wholeSecondsProblems(this, `${field}.minReady`, template.minReady));
    }
    problems.push(...wholeSecondsProblems(this, 'duration', this.props.duration, 1));
    problems.push(...wholeSecondsProblems(this, 'progressDeadline', this.props.progressDeadline, 1));
    problems.push(...wholeSecondsProblems(this, 'scaleDownDelay', this.props.scaleDownDelay));
    problems.push(...experimentAnalysesProblems(this, '', analyses, templates.map(t => t.name)));
    // The experiment hands every rule to each AnalysisRun, and a run that a rule does not match fails (experiments/experiment.go).
    problems.push(...new Set(analyses.flatMap(a => metricRuleProblems(this, '', [a.template], this.props, a.name))));
    return problems;
  }

  private toSpec(): ex.ExperimentSpec {
    const p = this.props;
    return {
      duration: p.duration && goDuration(p.duration),
      progressDeadlineSeconds: p.progressDeadline && seconds(p.progressDeadline),
      scaleDownDelaySeconds: p.scaleDownDelay && seconds(p.scaleDownDelay),
      templates: p.templates.map(t => ({
        name: t.name,
        replicas: t.replicas,
        minReadySeconds: t.minReady && seconds(t.minReady),
        selector: { matchLabels: t.selector ?? t.podTemplate.metadata?.labels },
        service: t.service && { name: t.service.name },
        template: toCrdSpec<ex.ExperimentSpecTemplatesTemplate>(t.podTemplate),
      })),
      analyses: toExperimentAnalyses(p.analyses),
      dryRun: p.dryRun?.map(m => ({ metricName: m.regex })),
      measurementRetention: p.measurementRetention?.map(r => ({ metricName: r.metrics.regex, limit: r.limit })),
      analysisRunMetadata: p.analysisRunMetadata && { labels: p.analysisRunMetadata.labels, annotations: p.analysisRunMetadata.annotations },
    };
  }
}
