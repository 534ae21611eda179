import { ASSUMED_SCRAPE_INTERVAL_SECONDS, RolloutPlan, abortBounds, formatDuration } from './canary-plan';
import { comparisonStartBound } from './comparison-judgement';

const WIDTH = 760;
const HEIGHT = 280;
const MARGIN = { left: 56, right: 24, top: 36, bottom: 44 };

/**
 * An SVG chart of one Rollout's plan: the traffic share over time (the real share solid, the nominal
 * weight dashed where they differ), each analysis window shaded, and each worst-case abort marked.
 * A pause that waits for a human is drawn with a fixed width and labelled as such.
 */
export function planChart(plan: RolloutPlan): string {
  const finite = plan.steps.reduce((sum, s) => sum + (Number.isFinite(s.durationS) ? s.durationS : 0), 0);
  const manualWidth = Math.max(60, finite * 0.15);
  const shown = (durationS: number) => (Number.isFinite(durationS) ? durationS : manualWidth);
  const starts: number[] = [];
  let clock = 0;
  for (const step of plan.steps) {
    starts.push(clock);
    clock += shown(step.durationS);
  }
  const tail = Math.max(30, clock * 0.08);
  const total = clock + tail;
  const x = (t: number) => MARGIN.left + (t / total) * (WIDTH - MARGIN.left - MARGIN.right);
  const y = (percent: number) => HEIGHT - MARGIN.bottom - (percent / 100) * (HEIGHT - MARGIN.top - MARGIN.bottom);
  const line = (share: (i: number) => number) => {
    const points = plan.steps.flatMap((s, i) => [[starts[i], share(i)], [starts[i] + shown(s.durationS), share(i)]]);
    points.push([clock, 100], [total, 100]);
    return points.map(([t, p], i) => `${i ? 'L' : 'M'}${x(t).toFixed(1)},${y(p).toFixed(1)}`).join(' ');
  };

  const windows: string[] = [];
  const parts: string[] = [];
  plan.steps.forEach((step, i) => {
    if (step.metrics.length > 0) {
      windows.push(`<rect x="${x(starts[i]).toFixed(1)}" y="${MARGIN.top}" width="${(x(starts[i] + shown(step.durationS)) - x(starts[i])).toFixed(1)}" height="${HEIGHT - MARGIN.top - MARGIN.bottom}" fill="#d9f2e3"><title>steps[${i}] ${escape(step.action)}: ${formatDuration(step.durationS)}</title></rect>`);
      const detection = stepBound(plan, step);
      if (detection !== undefined) {
        const at = x(Math.min(starts[i] + detection.boundS, total));
        parts.push(`<line x1="${at.toFixed(1)}" x2="${at.toFixed(1)}" y1="${MARGIN.top}" y2="${HEIGHT - MARGIN.bottom}" stroke="#c0392b" stroke-width="1.5"/>`);
        parts.push(`<text x="${(at + 3).toFixed(1)}" y="${MARGIN.top + 12}" font-size="10" fill="#c0392b">abort ≤ ${formatDuration(detection.boundS)}${detection.label}</text>`);
      }
    }
    if (!Number.isFinite(step.durationS)) {
      parts.push(`<text x="${x(starts[i] + manualWidth / 2).toFixed(1)}" y="${(y(step.share) - 6).toFixed(1)}" font-size="10" text-anchor="middle">waits for a human</text>`);
    }
  });
  const differs = plan.steps.some(s => Math.abs(s.share - s.weight) > 0.5);
  if (differs) parts.push(`<path d="${line(i => plan.steps[i].weight)}" fill="none" stroke="#888" stroke-dasharray="4 3" stroke-width="1.5"><title>setWeight</title></path>`);
  parts.push(`<path d="${line(i => plan.steps[i].share)}" fill="none" stroke="#1f6feb" stroke-width="2.5"><title>canary share of traffic</title></path>`);

  const axes = [0, 25, 50, 75, 100].map(p => `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(p)}" y2="${y(p)}" stroke="#eee"/><text x="${MARGIN.left - 6}" y="${y(p) + 4}" font-size="11" text-anchor="end">${p}%</text>`);
  const ticks = [...new Set([...starts, clock])].map(t => {
    const real = t <= clock ? realTime(t, plan, starts) : t;
    return `<text x="${x(t).toFixed(1)}" y="${HEIGHT - MARGIN.bottom + 16}" font-size="10" text-anchor="middle">${real === Infinity ? '∞' : formatDuration(real)}</text>`;
  });
  const title = `${plan.environment}/${plan.service}: canary share of traffic over time (${plan.router ?? `replica-based, ${plan.replicas} replicas`})`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`,
    `<text x="${MARGIN.left}" y="20" font-size="13" font-weight="bold">${escape(title)}</text>`,
    ...windows,
    ...axes,
    ...parts,
    ...ticks,
    `<text x="${WIDTH - MARGIN.right}" y="${HEIGHT - 8}" font-size="10" text-anchor="end">shaded: analysis; red: worst-case abort as the plan's table states it${differs ? '; dashed: setWeight' : ''}</text>`,
    '</svg>',
    '',
  ].join('\n');
}

/**
 * The bound a step's red line marks, only ever one the plan's tables state: the comparison's
 * bad-from-start bound at the declared rate where the step judges against stable (none when it
 * states none), else the spike bound of the step's success-rate metrics (none without one).
 */
function stepBound(plan: RolloutPlan, step: RolloutPlan['steps'][number]): { boundS: number; label: string } | undefined {
  const comparison = comparisonStartBound(plan, step, plan.expectedRps ?? 0, plan.scrapeIntervalS ?? ASSUMED_SCRAPE_INTERVAL_SECONDS);
  if (comparison !== undefined) {
    if (plan.expectedRps === undefined || comparison.kind !== 'abort') return undefined;
    return { boundS: comparison.boundS, label: ' (bad from start)' };
  }
  const spikeS = abortBounds(step, plan.expectedRps).spikeS;
  return spikeS === undefined ? undefined : { boundS: spikeS, label: '' };
}

/** The real time at a drawn time, counting a manual pause as unbounded. */
function realTime(drawn: number, plan: RolloutPlan, starts: number[]): number {
  let real = 0;
  for (let i = 0; i < plan.steps.length && starts[i] < drawn; i++) {
    const d = plan.steps[i].durationS;
    if (!Number.isFinite(d)) return Infinity;
    real += Math.min(d, drawn - starts[i]);
  }
  return real;
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
