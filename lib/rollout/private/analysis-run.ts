import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { problemAt } from '../../errors';
import { AnalysisRunProps, RolloutAnalysis } from '../analysis-run';

/**
 * Checks an analysis run the way the controller resolves it: every template exists where the
 * Rollout can find it, every required arg gets a value and no unknown arg is passed, field refs
 * point at metadata the downward API resolves, and dry-run metrics exist.
 */
export function analysisRunProblems(scope: IConstruct, field: string, run: AnalysisRunProps): string[] {
  const problems: string[] = [];
  if (run.templates.length === 0) {
    problems.push(problemAt(scope, `${field}.templates`, [], 'an analysis needs at least one template', 'pass the AnalysisTemplate to run'));
  }
  const namespace = Chart.of(scope).namespace;
  for (const template of run.templates.filter(t => !t.clusterScoped)) {
    const templateNamespace = Chart.of(template).namespace;
    if (templateNamespace !== namespace) {
      problems.push(problemAt(scope, `${field}.templates`, template.name, `is an AnalysisTemplate in namespace '${templateNamespace ?? '(none)'}', but the Rollout runs in '${namespace ?? '(none)'}' and finds templates only in its own`, 'create the template in the rollout\'s chart, or use a ClusterAnalysisTemplate'));
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
  const metrics = run.templates.flatMap(t => t.metrics.map(m => m.name));
  // The controller merges the templates' metrics into one AnalysisRun, where names must be unique.
  for (const duplicate of new Set(metrics.filter((m, i) => metrics.indexOf(m) !== i))) {
    problems.push(problemAt(scope, `${field}.templates`, duplicate, 'is a metric name of more than one template, and one analysis run needs unique metric names', 'rename the metric in one template, or run the templates in separate analyses'));
  }
  for (const metric of (run.dryRunMetrics ?? []).filter(m => !metrics.includes(m))) {
    problems.push(problemAt(scope, `${field}.dryRunMetrics`, metric, 'names no metric of the templates', `use one of: ${metrics.join(', ')}`));
  }
  return problems;
}

/** Renders an analysis run as the Rollout takes it in steps, background analysis and blue-green. */
export function toAnalysis(run: AnalysisRunProps): RolloutAnalysis {
  return {
    templates: run.templates.map(t => ({ templateName: t.name, clusterScope: t.clusterScoped || undefined })),
    args: Object.entries(run.args ?? {}).map(([name, value]) => value._toArg(name)),
    dryRun: run.dryRunMetrics?.map(metricName => ({ metricName })),
  };
}
