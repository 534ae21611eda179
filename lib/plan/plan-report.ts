import { RolloutPlan, formatDuration } from './canary-plan';

/** The file name of a Rollout's chart in the report folder. */
/** Where `npm run plan` writes, and the infra workflow reads: outside `dist/`, so no Argo CD Application ever reads it. */
export const PLAN_FOLDER = 'reports/plan';

export function chartFileName(plan: RolloutPlan): string {
  return `${plan.environment}-${plan.service}.svg`;
}

/** The plan of every Rollout as Markdown for a pull-request comment, charts linked by file name. */
export function planMarkdown(plans: readonly RolloutPlan[]): string {
  const warnings = plans.reduce((n, p) => n + p.warnings.length, 0);
  const lines = [
    '## Canary plan',
    '',
    `${plans.length} Rollouts, ${warnings} warning${warnings === 1 ? '' : 's'}. Times are minimums from the start of a release; `
      + '"worst-case abort" is initialDelay + (failureLimit + 1) × interval + the rate window, and "query errors" is initialDelay + consecutiveErrorLimit × the controller\'s 10 s retry.',
  ];
  for (const plan of plans) lines.push('', ...rolloutSection(plan));
  return `${lines.join('\n')}\n`;
}

function rolloutSection(plan: RolloutPlan): string[] {
  const routing = plan.router ?? 'replica-based';
  const replicas = `${plan.replicas} replicas${plan.autoscaled ? ' (the autoscaler\'s minimum)' : ''}`;
  const exposure = plan.exposure.share === plan.exposure.weight
    ? `${Math.round(plan.exposure.share)}%`
    : `${Math.round(plan.exposure.share)}% (setWeight ${plan.exposure.weight} on ${replicas})`;
  const rows = plan.steps.map(step => {
    const detection = step.metrics.length ? formatDuration(Math.max(...step.metrics.map(m => m.detectionS))) : '';
    const errors = step.metrics.length ? formatDuration(Math.max(...step.metrics.map(m => m.errorAbortS))) : '';
    const share = Math.abs(step.share - step.weight) > 0.5 ? `${Math.round(step.share)}% (weight ${step.weight})` : `${step.weight}%`;
    return `| ${step.index} | ${step.action} | ${share} | ${formatDuration(step.startS)} | ${formatDuration(step.durationS)} | ${detection} | ${errors} |`;
  });
  const metrics = [...new Map(plan.steps.flatMap(s => s.metrics).concat(plan.background?.metrics ?? []).map(m => [`${m.template}/${m.name}`, m])).values()]
    .map(m => `\`${m.template}/${m.name}\`: ${m.count} × every ${formatDuration(m.intervalS)}, window ${formatDuration(m.windowS)}, failureLimit ${m.failureLimit}, consecutiveErrorLimit ${m.consecutiveErrorLimit}${m.initialDelayS ? `, initialDelay ${formatDuration(m.initialDelayS)}` : ''}`);
  return [
    `### ${plan.environment}/${plan.service}`,
    '',
    `${routing}, ${replicas}. Full promotion after **${formatDuration(plan.promotionS)}** at the earliest. `
      + `Traffic exposed before the first measurement can fail: **${exposure}**.`
      + (plan.background ? ` Background analysis from step ${plan.background.startingStep}.` : ''),
    '',
    '| step | action | canary traffic | starts | lasts | worst-case abort | query errors abort |',
    '|---|---|---|---|---|---|---|',
    ...rows,
    '',
    ...metrics.map(m => `- ${m}`),
    '',
    plan.warnings.length ? '**Warnings**' : 'No warnings.',
    ...plan.warnings.map(w => `- ⚠️ ${w}`),
    '',
    `![${plan.environment}/${plan.service}](${chartFileName(plan)})`,
  ];
}
