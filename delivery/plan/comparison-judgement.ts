import { alignedWindowCounts, comparisonOf, comparisonStatistic, ExpectedWindow, IntervalCounts, minimumDetectableRate } from '../../lib/analysis/canary-comparison';
import { COMPARISON_METRIC_NAME } from '../../lib/analysis/presets';
import { MetricPlan, RECONCILE_SECONDS, REFERENCE_ERROR_RATE, RolloutPlan, StepPlan } from './canary-plan';
import { drawInterval, seededRandom } from './random-draws';

/** The stable error rate the plan assumes for the comparison's bounds: the healthy baseline of #24. */
export const PLAN_STABLE_ERROR_RATE = 0.001;
/** The share of releases bad at {@link REFERENCE_ERROR_RATE} that a stated bound catches: its 99th percentile. */
export const BOUND_CONFIDENCE = 0.99;

/** What the comparison against stable does with a release bad from the start of one step. */
export type ComparisonStartBound =
  /** The abort comes by `boundS` seconds after the step started, with probability {@link BOUND_CONFIDENCE}. */
  | { readonly kind: 'abort'; readonly boundS: number }
  /** Fewer releases than that abort, most of them paused (more measurements than inconclusiveLimit below the data floor). */
  | { readonly kind: 'pauses' }
  /** Fewer releases than that abort, most of them promoted: too few requests to fail them. No bound. */
  | { readonly kind: 'none' };

/** Releases the plan draws for a bound, seeded so that the plan reads the same every time. */
export const BOUND_DRAWS = 2000;
const BOUND_SEED = 24;

/**
 * When a step's `error-rate-vs-stable` metric aborts a canary that turns bad ({@link REFERENCE_ERROR_RATE}
 * errors) as the step starts, at `rps` requests/s in total (#24), counted from the step's start: the
 * time by which {@link BOUND_CONFIDENCE} of {@link BOUND_DRAWS} drawn releases are aborted. Each draw
 * is the plan's own model of the release: Poisson traffic per scrape interval at the shares of the
 * nominal schedule (earlier steps healthy), stable at {@link PLAN_STABLE_ERROR_RATE}, the scrapes at a
 * random phase to the release's start and read by the subquery's next step (up to a scrape later),
 * every measurement computed by the query's own statistic over the scrapes in its window
 * (alignedWindowCounts, comparisonStatistic) and judged by the template's threshold, on the v1.9.1
 * controller's schedule (analysis/analysis.go: the first measurement initialDelay after the run
 * starts, one reconcile after the step, each next an interval later; the run fails once failed >
 * failureLimit and pauses once inconclusive > inconclusiveLimit), plus one reconcile for the
 * controller to act on the failed run ({@link RECONCILE_SECONDS}). Measurements overlap, so their
 * outcomes are not independent: drawing them is simpler and tighter than any bound on their product.
 * `npm run simulate` replays the same releases with other seeds through the controller's whole
 * schedule. Undefined when the step is not judged against stable.
 */
export function comparisonStartBound(
  plan: Pick<RolloutPlan, 'steps'>, step: Pick<StepPlan, 'metrics' | 'startS'>, rps: number, scrapeIntervalS: number,
): ComparisonStartBound | undefined {
  const known = drawnBounds.get(step) ?? new Map<string, ComparisonStartBound | undefined>();
  drawnBounds.set(step, known);
  const key = `${rps} ${scrapeIntervalS}`;
  if (!known.has(key)) known.set(key, drawStartBound(plan, step, rps, scrapeIntervalS));
  return known.get(key);
}

/** The bounds drawn for each step, by rate and scrape: the report, the chart and the replays ask for the same ones. */
const drawnBounds = new WeakMap<object, Map<string, ComparisonStartBound | undefined>>();

function drawStartBound(
  plan: Pick<RolloutPlan, 'steps'>, step: Pick<StepPlan, 'metrics' | 'startS'>, rps: number, scrapeIntervalS: number,
): ComparisonStartBound | undefined {
  if (!comparisonMetric(step)) return undefined;
  // This step's run, then every later step's, each from its nominal start: a bad canary this step lets through meets the next.
  const runs = [step, ...plan.steps.filter(later => later.startS > step.startS)]
    .flatMap(later => {
      const metric = comparisonMetric(later);
      if (!metric) return [];
      const count = Number.isFinite(metric.count) ? metric.count : 100;
      const times = Array.from({ length: count }, (_, k) => measurementTimeS(later, metric, k));
      return [{ metric, options: comparisonOf(metric), times }];
    });
  const s = scrapeIntervalS;
  const random = seededRandom(BOUND_SEED);
  const aborts: number[] = [];
  let paused = 0;
  for (let draw = 0; draw < BOUND_DRAWS; draw++) {
    // The scrapes fall anywhere relative to the release's start: intervals[k] ends at phaseS + k × S (k ≥ 1),
    // and the subquery step that reads it (on the epoch's grid of S, not the scrapes') up to S later.
    const phaseS = -random() * s;
    const readDelayS = random() * s;
    const intervals: IntervalCounts[] = [{ canaryErrors: 0, canaryRequests: 0, stableErrors: 0, stableRequests: 0 }];
    // Drawn as far as the measurements reach: most bad releases end at their first measurements.
    const drawUntil = (atS: number) => {
      for (let endS = phaseS + intervals.length * s; endS <= atS; endS += s) {
        const fromS = Math.max(0, endS - s);
        const middleS = (fromS + endS) / 2;
        const errorRate = middleS >= step.startS ? REFERENCE_ERROR_RATE : PLAN_STABLE_ERROR_RATE;
        intervals.push(drawInterval(rps, shareAtS(plan, middleS) / 100, endS - fromS, errorRate, PLAN_STABLE_ERROR_RATE, random));
      }
      return intervals;
    };
    const outcome = judgeRuns(runs, drawUntil, s, phaseS + readDelayS);
    if (outcome === 'paused') paused += 1;
    else if (outcome !== 'promoted') aborts.push(outcome - step.startS + RECONCILE_SECONDS);
  }
  const needed = Math.ceil(BOUND_CONFIDENCE * BOUND_DRAWS);
  if (aborts.length < needed) return paused > BOUND_DRAWS - aborts.length - paused ? { kind: 'pauses' } : { kind: 'none' };
  return { kind: 'abort', boundS: Math.ceil(aborts.sort((a, b) => a - b)[needed - 1]) };
}

/**
 * When measurement `k` (from 0) of a step's `metric` is taken, in seconds from the release's start, on
 * the v1.9.1 controller's schedule: the run starts one reconcile after the step, the first measurement
 * initialDelay later, each next an interval later (analysis/analysis.go).
 */
export function measurementTimeS(step: Pick<StepPlan, 'startS'>, metric: Pick<MetricPlan, 'initialDelayS' | 'intervalS'>, k: number): number {
  return step.startS + RECONCILE_SECONDS + metric.initialDelayS + k * metric.intervalS;
}

/** A step's `error-rate-vs-stable` metric, when it can fail the step. */
export function comparisonMetric(step: Pick<StepPlan, 'metrics'>): MetricPlan | undefined {
  return step.metrics.find(m => m.name === COMPARISON_METRIC_NAME && m.threshold !== undefined && m.canFail);
}

/**
 * How the runs judge one drawn release, one after the other: the time of the measurement that fails
 * one (failed > failureLimit), `paused` once one has more Inconclusive measurements than
 * inconclusiveLimit, `promoted` when every run succeeds.
 */
function judgeRuns(
  runs: readonly { readonly metric: MetricPlan; readonly options: ReturnType<typeof comparisonOf>; readonly times: readonly number[] }[],
  drawUntil: (atS: number) => readonly IntervalCounts[], scrapeS: number, phaseS: number,
): number | 'paused' | 'promoted' {
  for (const { metric, options, times } of runs) {
    let failed = 0;
    let inconclusive = 0;
    for (const atS of times) {
      const counts = alignedWindowCounts(drawUntil(atS), scrapeS, atS, metric.windowS, phaseS);
      const phase = metric.threshold!.evaluate([comparisonStatistic(counts, options)]).phase;
      if (phase === 'Failed' && ++failed > metric.failureLimit) return atS;
      if (phase === 'Inconclusive' && ++inconclusive > metric.inconclusiveLimit) return 'paused';
    }
  }
  return 'promoted';
}

/** The share of scrape intervals in which a canary at `canaryRps` takes a request (Poisson), the only ones in which the comparison counts stable. */
function canaryActive(canaryRps: number, scrapeIntervalS: number): number {
  return 1 - Math.exp(-canaryRps * scrapeIntervalS);
}

/** The canary's share of traffic, in percent, `atS` seconds after the release started, on the plan's nominal schedule. */
export function shareAtS(plan: Pick<RolloutPlan, 'steps'>, atS: number): number {
  let share = 0;
  for (const step of plan.steps) if (step.startS <= atS) share = step.share;
  return share;
}

/**
 * The requests the comparison's window expects at `atS` seconds after the release started, at `rps`
 * in total: canary and stable traffic over the window (W seconds of scrape increments, ending half a
 * scrape before now on average), by the share in effect at each time (earlier steps at their own
 * share); stable only in the share of scrape intervals in which the canary took requests, the only
 * ones the comparison counts (alignedCount).
 */
export function expectedWindow(
  plan: Pick<RolloutPlan, 'steps'>, metric: Pick<MetricPlan, 'windowS'>, atS: number, rps: number, scrapeIntervalS: number, stableRate = PLAN_STABLE_ERROR_RATE,
): ExpectedWindow {
  let canary = 0;
  let stable = 0;
  // The scrapes in the window cover W seconds ending, on average, half a scrape before now.
  const toS = Math.max(0, atS - scrapeIntervalS / 2);
  const fromS = Math.max(0, toS - metric.windowS);
  const changes = [...new Set([fromS, ...plan.steps.map(s => s.startS).filter(t => t > fromS && t < toS), toS])].sort((a, b) => a - b);
  for (let i = 0; i + 1 < changes.length; i++) {
    const share = shareAtS(plan, changes[i]) / 100;
    canary += rps * share * (changes[i + 1] - changes[i]);
    stable += rps * (1 - share) * (changes[i + 1] - changes[i]) * canaryActive(rps * share, scrapeIntervalS);
  }
  return { canaryRequests: Math.floor(canary), stableRequests: Math.floor(stable), stableRate };
}

/**
 * The smallest canary error rate a step's comparison catches with 80% power by the step's end, at
 * `rps`: the power of its last measurement alone, the one whose window holds the most of the step's
 * traffic (earlier measurements only add to it). NaN where the run pauses first (more measurements
 * than inconclusiveLimit below the data floor) or the last window is below it; undefined where the
 * step is not judged against stable or has no count.
 */
export function stepDetectableRate(
  plan: Pick<RolloutPlan, 'steps'>, step: StepPlan, rps: number, scrapeIntervalS: number, stableRate = PLAN_STABLE_ERROR_RATE,
): number | undefined {
  const metric = comparisonMetric(step);
  if (!metric?.threshold || !Number.isFinite(metric.count)) return undefined;
  const options = comparisonOf(metric);
  let inconclusive = 0;
  for (let k = 0; k < metric.count; k++) {
    const window = expectedWindow(plan, metric, measurementTimeS(step, metric, k), rps, scrapeIntervalS, stableRate);
    if (k === metric.count - 1) return minimumDetectableRate(window, options, metric.threshold.bound);
    if (window.canaryRequests < options.minRequests || window.stableRequests < options.minRequests) inconclusive += 1;
    if (inconclusive > metric.inconclusiveLimit) return NaN;
  }
  return NaN;
}

/**
 * The smallest canary error rate a release catches with 80% power by its end, at `rps`: the best of
 * its steps' (the last step usually, with the largest share). Undefined when no step is judged
 * against stable; NaN when every step is below the data floor.
 */
export function releaseDetectableRate(plan: Pick<RolloutPlan, 'steps'>, rps: number, scrapeIntervalS: number, stableRate = PLAN_STABLE_ERROR_RATE): number | undefined {
  const rates = plan.steps.map(step => stepDetectableRate(plan, step, rps, scrapeIntervalS, stableRate)).filter((r): r is number => r !== undefined);
  if (rates.length === 0) return undefined;
  const finite = rates.filter(r => !Number.isNaN(r));
  return finite.length > 0 ? Math.min(...finite) : NaN;
}

/**
 * The bad-from-start abort bound of a whole release at `rps`, from its first request: the first
 * analysed step's bound (which counts the steps after it), at that step's start. Undefined when the
 * release pauses first or no bound can be stated.
 */
export function releaseStartBoundS(plan: Pick<RolloutPlan, 'steps'>, rps: number, scrapeIntervalS: number): number | undefined {
  const first = plan.steps.find(step => comparisonMetric(step));
  const bound = first && comparisonStartBound(plan, first, rps, scrapeIntervalS);
  return first && bound?.kind === 'abort' ? first.startS + bound.boundS : undefined;
}

