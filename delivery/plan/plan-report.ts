import { comparisonOf, normalCdf } from '../../lib/analysis/canary-comparison';
import { COMPARISON_METRIC_NAME } from '../../lib/analysis/presets';
import { ASSUMED_SCRAPE_INTERVAL_SECONDS, REFERENCE_ERROR_RATE, RolloutPlan, abortBounds, formatDuration } from './canary-plan';
import {
  BOUND_CONFIDENCE, BOUND_DRAWS, ComparisonStartBound, PLAN_STABLE_ERROR_RATE, comparisonStartBound, expectedWindow, measurementTimeS,
  releaseDetectableRate, stepDetectableRate,
} from './comparison-judgement';

/** How far above stable's error rate the error rate a release catches by its end may be, at the declared rate (#24). */
export const DETECTABLE_EFFECT_TARGET = 0.02;

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
    ...judgementLines(plan),
    plan.warnings.length ? '**Warnings**' : 'No warnings.',
    ...plan.warnings.map(w => `- ⚠️ ${w}`),
    '',
    `![${plan.environment}/${plan.service}](${chartFileName(plan)})`,
  ];
}

/**
 * What the comparison against stable can see per analysed step at the declared rate (#24): canary
 * requests in the window of the step's last measurement, when a window first holds the data floor, the
 * error rate the step catches by its end with 80% power against a 0.1% stable (stepDetectableRate), the
 * release's, and the release's false-abort bound m × (1 − Φ(z_crit)) over its m
 * comparison measurements (Bonferroni). Below the floor a measurement is Inconclusive and enough of
 * them pause the release. The last column is the bad-from-start abort bound from the step's start
 * (see comparisonStartBound), or why there is none.
 */
export function judgementLines(plan: RolloutPlan): string[] {
  const judged = plan.steps
    .flatMap(step => step.metrics.filter(m => m.name === COMPARISON_METRIC_NAME && m.threshold).map(metric => ({ step, metric })));
  if (judged.length === 0) return [];
  const measurements = judged.reduce((n, j) => n + j.metric.count, 0);
  const zCrit = judged[0].metric.threshold!.bound;
  const bound = measurements * (1 - normalCdf(zCrit));
  const lines = [
    `**Judgement against stable**: false-abort bound of a healthy release ${(bound * 100).toFixed(2)}% `
      + `(${measurements} measurements at z > ${zCrit}); below ${comparisonOf(judged[0].metric).minRequests} canary requests a measurement is Inconclusive, `
      + 'and more than inconclusiveLimit of them pause the release (never abort it).',
  ];
  if (plan.expectedRps === undefined) return [...lines, '', 'No request rate is declared, so the data per step cannot be stated.', ''];
  const scrapeS = plan.scrapeIntervalS ?? ASSUMED_SCRAPE_INTERVAL_SECONDS;
  const rps = plan.expectedRps;
  const percent = (rate: number | undefined) => (rate === undefined || Number.isNaN(rate) ? 'none: pauses' : `${(rate * 100).toFixed(2)}%`);
  lines.push('', `| step | canary requests in the last window at ${rps} rps | data floor reached after | detectable error rate (80%, by the step's end) | abort: bad from start (${REFERENCE_ERROR_RATE * 100}%, ${BOUND_CONFIDENCE * 100}% of releases, incl. the controller's reconcile delay) |`, '|---|---|---|---|---|');
  for (const { step, metric } of judged) {
    const options = comparisonOf(metric);
    const canaryRps = rps * step.share / 100;
    const lastS = measurementTimeS(step, metric, metric.count - 1);
    const requests = Number.isFinite(lastS) ? expectedWindow(plan, metric, lastS, rps, scrapeS).canaryRequests : 0;
    const floorS = canaryRps > 0 ? options.minRequests / canaryRps : Infinity;
    lines.push(`| ${step.index} | ${requests} | ${Number.isFinite(floorS) ? formatDuration(Math.ceil(floorS)) : 'never: pauses'} | ${percent(stepDetectableRate(plan, step, rps, scrapeS))} | ${boundText(comparisonStartBound(plan, step, rps, scrapeS))} |`);
  }
  const release = releaseDetectableRate(plan, rps, scrapeS);
  const met = release !== undefined && !Number.isNaN(release) && release <= PLAN_STABLE_ERROR_RATE + DETECTABLE_EFFECT_TARGET;
  lines.push('', `By its end the release catches a canary error rate of ${percent(release)} with 80% power at ${rps} rps, against a stable at ${PLAN_STABLE_ERROR_RATE * 100}%: `
    + (met ? `within the ${DETECTABLE_EFFECT_TARGET * 100} points the analysis aims for.` : `more than ${DETECTABLE_EFFECT_TARGET * 100} points above stable; longer steps (analysisCount) would see more.`));
  lines.push('', `"abort: bad from start" counts from the step's start: the time by which ${BOUND_CONFIDENCE * 100}% of ${BOUND_DRAWS} releases the plan draws `
    + `(Poisson traffic per scrape interval, ${REFERENCE_ERROR_RATE * 100}% errors from the step's start, the scrapes at a random phase) are aborted, `
    + 'each measurement judged by the query\'s own statistic on the controller\'s schedule, this step and the ones after it, one reconcile included '
    + 'for the controller to act; "none" where fewer abort, and no mark on the chart.');
  return [...lines, ''];
}

/** A step's bad-from-start bound as the table states it. */
export function boundText(bound: ComparisonStartBound | undefined): string {
  if (bound === undefined) return 'none: not judged against stable';
  if (bound.kind === 'abort') return formatDuration(bound.boundS);
  if (bound.kind === 'pauses') return 'none: below the data floor it pauses';
  return 'none: too few requests';
}
