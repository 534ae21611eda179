import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { IAnalysisTemplate } from '../../analysis/analysis-template-base';
import { MetricMatch } from '../../analysis/metric-match';
import { problemAt } from '../../errors';
import { AnalysisRunProps, RolloutAnalysis } from '../analysis-run';

/** Kubernetes object names: a DNS subdomain. */
const OBJECT_NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

/**
 * Checks an analysis run the way the controller resolves it: every template exists where the
 * Rollout can find it, every required arg gets a value and no unknown arg is passed, field refs
 * point at metadata the downward API resolves, and dry-run and retention rules match a metric.
 * Templates referred to by name are checked for their args only: their metrics are not known here.
 */
export function analysisRunProblems(scope: IConstruct, field: string, run: AnalysisRunProps, options: { mustEnd: boolean }): string[] {
  const problems: string[] = [];
  if (options.mustEnd) {
    for (const template of run.templates) {
      for (const metric of (template.metrics ?? []).filter(m => !m.ends)) {
        problems.push(problemAt(scope, `${field}.templates`, `${template.name}/${metric.name}`,
          'measures without end (count Infinity and no consecutiveSuccessLimit), so the analysis never completes and the rollout waits forever',
          'give the metric a count or a consecutiveSuccessLimit, or run it as background analysis'));
      }
    }
  }
  if (run.templates.length === 0) {
    problems.push(problemAt(scope, `${field}.templates`, [], 'an analysis needs at least one template', 'pass the AnalysisTemplate to run'));
  }
  const namespace = Chart.of(scope).namespace;
  for (const template of run.templates) {
    if (template.metrics === undefined && !OBJECT_NAME.test(template.name)) {
      problems.push(problemAt(scope, `${field}.templates`, template.name, 'is not a valid template name', 'give the metadata.name of the template in the cluster'));
    }
    if (template.metrics !== undefined && !template.clusterScoped && template.namespace !== namespace) {
      problems.push(problemAt(scope, `${field}.templates`, template.name, `is an AnalysisTemplate in namespace '${template.namespace ?? '(none)'}', but the Rollout runs in '${namespace ?? '(none)'}' and finds templates only in its own`, 'create the template in the rollout\'s chart, or use a ClusterAnalysisTemplate'));
    }
  }
  const passed = Object.keys(run.args ?? {});
  const declared = run.templates.flatMap(t => t.args.map(a => a.name));
  for (const template of run.templates) {
    for (const arg of template.requiredArgs.filter(a => !passed.includes(a))) {
      problems.push(problemAt(scope, `${field}.args`, arg, `is required by analysis template '${template.name}' but gets no value`, `pass args: { '${arg}': ArgValue.of(...) }`));
    }
  }
  for (const arg of passed.filter(a => !declared.includes(a))) {
    problems.push(problemAt(scope, `${field}.args`, arg, 'is not declared by any of the templates', `pass only declared args: ${declared.join(', ') || '(none)'}`));
  }
  for (const [name, value] of Object.entries(run.args ?? {})) {
    const problem = value.problem();
    if (problem) problems.push(problemAt(scope, `${field}.args.${name}`, problem.value, problem.rule, problem.fix));
  }
  problems.push(...metricRuleProblems(scope, field, run.templates, run));
  return problems;
}

/**
 * Checks the dry-run and retention rules of one AnalysisRun of `templates`: each compiles, matches a
 * metric (one that matches none fails the whole run, analysis/analysis.go with
 * utils/analysis/helpers.go GetDryRunMetrics), and keeps at least one measurement; metric names must be
 * unique across the templates, which the run merges.
 * @param field the field holding the rules; empty when they are top-level props
 * @param run names the run in messages where one object starts several (an experiment's analyses)
 */
export function metricRuleProblems(
  scope: IConstruct,
  field: string,
  templates: readonly IAnalysisTemplate[],
  options: Pick<AnalysisRunProps, 'dryRun' | 'measurementRetention'>,
  run?: string,
): string[] {
  const problems: string[] = [];
  const at = (name: string) => (field ? `${field}.${name}` : name);
  const known = templates.every(t => t.metrics !== undefined);
  const metrics = templates.flatMap(t => t.metrics ?? []).map(m => m.name);
  // The controller merges the templates' metrics into one AnalysisRun, where names must be unique.
  for (const duplicate of new Set(metrics.filter((m, i) => metrics.indexOf(m) !== i))) {
    problems.push(problemAt(scope, at('templates'), duplicate, 'is a metric name of more than one template, and one analysis run needs unique metric names', 'rename the metric in one template, or run the templates in separate analyses'));
  }
  const matches: [string, MetricMatch][] = [
    ...(options.dryRun ?? []).map((m, i): [string, MetricMatch] => [at(`dryRun[${i}]`), m]),
    ...(options.measurementRetention ?? []).map((r, i): [string, MetricMatch] => [at(`measurementRetention[${i}].metrics`), r.metrics]),
  ];
  const unmatched = run === undefined ? 'matches no metric of the templates, which fails the analysis run' : `matches no metric of analysis '${run}', which fails that analysis run`;
  for (const [where, match] of matches) {
    const invalid = match.problem();
    if (invalid) problems.push(problemAt(scope, where, match.given, invalid, 'write a go regular expression, or use MetricMatch.named(...)'));
    else if (known && !metrics.some(m => match.matches(m))) problems.push(problemAt(scope, where, match.given, unmatched, `match one of: ${metrics.join(', ')}`));
  }
  (options.measurementRetention ?? []).forEach((r, i) => {
    if (!Number.isInteger(r.limit) || r.limit < 1) problems.push(problemAt(scope, at(`measurementRetention[${i}].limit`), r.limit, 'must be a positive integer', 'keep at least 1 measurement, e.g. 20'));
  });
  return problems;
}

/**
 * Whether the run can fail the rollout: a metric that can fail and is not in dry-run, or a template
 * referred to by name, whose metrics are trusted to (they are not known here).
 */
export function canFailRun(run: AnalysisRunProps): boolean {
  return run.templates.some(t => t.metrics === undefined || t.metrics.some(m => m.canFail && !(run.dryRun ?? []).some(d => d.matches(m.name))));
}

/** Renders an analysis run as the Rollout takes it in steps, background analysis and blue-green. */
export function toAnalysis(run: AnalysisRunProps): RolloutAnalysis {
  const retention = run.measurementRetention?.map(r => ({ metricName: r.metrics.regex, limit: r.limit }));
  return {
    templates: run.templates.map(t => ({ templateName: t.name, clusterScope: t.clusterScoped || undefined })),
    // No args is written as none, as upstream writes it, not as an empty list.
    args: run.args && Object.keys(run.args).length ? Object.entries(run.args).map(([name, value]) => value._toArg(name)) : undefined,
    dryRun: run.dryRun?.map(m => ({ metricName: m.regex })),
    measurementRetention: retention,
    analysisRunMetadata: run.analysisRunMetadata && { labels: run.analysisRunMetadata.labels, annotations: run.analysisRunMetadata.annotations },
  };
}
