import { REFERENCE_ERROR_RATE, RolloutPlan, abortBounds, formatDuration } from './canary-plan';

/** The file name of a Rollout's chart in the report folder. */
export function chartFileName(plan: RolloutPlan): string {
  return `${plan.environment}-${plan.service}.svg`;
}

/**
 * The plan of every Rollout as Markdown for a pull-request comment, charts linked by file name.
 * @param otherOptOuts the opt-outs of Rollouts without a canary plan (see `otherRolloutOptOuts`)
 */
export function planMarkdown(plans: readonly RolloutPlan[], otherOptOuts: readonly string[] = []): string {
  const warnings = plans.reduce((n, p) => n + p.warnings.length, 0);
  const lines = [
    '## Canary plan',
    '',
    `${plans.length} Rollouts, ${warnings} warning${warnings === 1 ? '' : 's'}. Times are minimums from the start of a release, `
      + `on the Argo Rollouts v1.9.1 controller's schedule. For a ${REFERENCE_ERROR_RATE * 100}% error rate with success threshold b, window W, `
      + 'scrape interval S and interval I: "bad from start" is the first measurement at least 2S + ((1 − b) / e) × W after the first request, '
      + 'plus failureLimit × I; "spike" is (failureLimit + 1) × I + S + ((1 − b) / e) × W; "Prometheus down" is max(initialDelay, I) '
      + '+ (consecutiveErrorLimit + 1) × the query timeout + consecutiveErrorLimit × the 10 s retry. `npm run simulate` replays them. '
      // argo-rollouts v1.9.1 rollout/canary.go, syncRolloutStatusCanary: back on status.stableRS, the step index jumps to the end.
      + 'After an abort, `npm run verdict` pins the stable image back, and the controller returns to the stable ReplicaSet '
      + 'skipping every step (`SkipSteps`: no weights, pauses or analysis), so the revert replays no canary.',
  ];
  for (const plan of plans) lines.push('', ...rolloutSection(plan));
  if (otherOptOuts.length) lines.push('', '### Opt-outs of Rollouts without a canary plan', '', ...otherOptOuts.map(o => `- ⚠️ ${o}`));
  return `${lines.join('\n')}\n`;
}

function rolloutSection(plan: RolloutPlan): string[] {
  const routing = plan.router ?? 'replica-based';
  const replicas = `${plan.replicas} replicas${plan.autoscaled ? ' (the autoscaler\'s minimum)' : ''}`;
  const exposure = plan.exposure.share === plan.exposure.weight
    ? `${Math.round(plan.exposure.share)}%`
    : `${Math.round(plan.exposure.share)}% (setWeight ${plan.exposure.weight} on ${replicas})`;
  const rows = plan.steps.map(step => {
    const bounds = abortBounds(step, plan.expectedRps);
    const [start, spike, errors] = [bounds.startS, bounds.spikeS, bounds.prometheusDownS].map(b => (b === undefined ? '' : formatDuration(b)));
    const share = Math.abs(step.share - step.weight) > 0.5 ? `${Math.round(step.share)}% (weight ${step.weight})` : `${step.weight}%`;
    return `| ${step.index} | ${step.action} | ${share} | ${formatDuration(step.startS)} | ${formatDuration(step.durationS)} | ${start} | ${spike} | ${errors} |`;
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
    '| step | action | canary traffic | starts | lasts | abort: bad from start | abort: spike | abort: Prometheus down |',
    '|---|---|---|---|---|---|---|---|',
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
