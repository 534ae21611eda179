import { IConstruct } from 'constructs';
import { problemAt } from '../../errors/problem';
import { dnsLabelRule, firstDuplicate, isDnsLabel } from '../../private/names';
import { ExperimentAnalysis, ExperimentService } from '../experiment-analysis';
import { analysisRunProblems, canFailRun } from './analysis-run';

/** An experiment template's pod hash, which analyses pass as an arg (utils/experiment/experiment.go). */
const TEMPLATE_HASH = /\{\{\s*templates\.([^.}\s]+)\.podTemplateHash\s*\}\}/g;

/**
 * The problem of two templates of one experiment, in a Rollout's step or on its own, with one name.
 * @param field the field holding the templates, e.g. `steps[2].experiment.templates`
 */
export function templateNameProblems(scope: IConstruct, field: string, templates: readonly { readonly name: string }[]): string[] {
  const duplicate = firstDuplicate(templates.map(t => t.name));
  return duplicate === undefined ? [] : [problemAt(scope, `${field}[].name`, duplicate, 'template names must be unique within an experiment', 'rename one of the templates')];
}

/**
 * The problem of a Service the controller would create for an experiment template under a name
 * Kubernetes refuses.
 * @param field the template's field, e.g. `templates[baseline]`
 */
export function templateServiceProblems(scope: IConstruct, field: string, service: ExperimentService | undefined): string[] {
  const name = service?.name;
  return name === undefined || isDnsLabel(name) ? [] : [problemAt(scope, `${field}.service.name`, name, dnsLabelRule(), 'name the service, e.g. \'api-baseline\'')];
}

/**
 * Checks an experiment's analyses: unique names, each run as the controller resolves it (one that the
 * experiment waits for must end), and every `{{templates.NAME.podTemplateHash}}` naming a template.
 * @param field the field holding the experiment; empty for a standalone Experiment
 */
export function experimentAnalysesProblems(
  scope: IConstruct,
  field: string,
  analyses: readonly ExperimentAnalysis[],
  templateNames: readonly string[],
): string[] {
  const problems: string[] = [];
  const base = field ? `${field}.analyses` : 'analyses';
  const duplicate = firstDuplicate(analyses.map(a => a.name));
  if (duplicate !== undefined) problems.push(problemAt(scope, `${base}[].name`, duplicate, 'analysis names must be unique within an experiment', 'rename one of the analyses'));
  for (const analysis of analyses) {
    const at = `${base}[${analysis.name}]`;
    const run = { templates: [analysis.template], args: analysis.args };
    problems.push(...analysisRunProblems(scope, at, run, { mustEnd: analysis.requiredForCompletion ?? false }));
    for (const [arg, value] of Object.entries(analysis.args ?? {})) {
      for (const [reference, template] of (value._toArg(arg).value ?? '').matchAll(TEMPLATE_HASH)) {
        if (!templateNames.includes(template)) {
          problems.push(problemAt(scope, `${at}.args.${arg}`, reference, 'names no template of the experiment, so the controller cannot resolve it', `use one of: ${templateNames.join(', ')}`));
        }
      }
    }
  }
  return problems;
}

/** Whether a failing experiment analysis can abort: one of them can fail (see canFailRun). */
export function experimentCanFail(analyses: readonly ExperimentAnalysis[]): boolean {
  return analyses.some(a => canFailRun({ templates: [a.template] }));
}

/** Renders the analyses as both the Rollout's experiment step and the Experiment take them. */
export function toExperimentAnalyses(analyses: readonly ExperimentAnalysis[] | undefined) {
  return analyses?.map(a => ({
    name: a.name,
    templateName: a.template.name,
    clusterScope: a.template.clusterScoped || undefined,
    args: a.args && Object.keys(a.args).length ? Object.entries(a.args).map(([name, value]) => value._toArg(name)) : undefined,
    requiredForCompletion: a.requiredForCompletion,
  }));
}
