import { RolloutPlan, drawInterval, seededRandom } from '../../delivery/plan';
import { alignedWindowCounts, comparisonOf, comparisonStatistic, IntervalCounts } from '../../lib/analysis/canary-comparison';
import { COMPARISON_METRIC_NAME } from '../../lib/analysis/presets';
import { replayRelease, ReplayResult } from './controller-model';
import { errorsServed, shareAt } from './synthetic-metrics';

/** One release's traffic, replayed in process: both versions' error rates over time. */
export interface ComparisonReplay {
  readonly plan: RolloutPlan;
  /** Requests per second at full traffic. */
  readonly rps: number;
  /** The scrape interval of the queried metrics. */
  readonly scrapeS: number;
  readonly seed: number;
  readonly canaryErrorRate: (atS: number) => number;
  readonly stableErrorRate: (atS: number) => number;
  /**
   * Prometheus failing from the start: `down` refuses every query at once, `hanging` answers none
   * before the query timeout; either way each measurement of a Prometheus metric is an Error.
   */
  readonly prometheus?: 'down' | 'hanging';
}

/** A replayed release's outcome, and the error responses the canary served until traffic returned to stable. */
export interface ComparisonOutcome extends ReplayResult {
  readonly badRequests: number;
}

/**
 * Replays one release on the v1.9.1 controller's schedule (./controller-model.ts) with Poisson traffic
 * generated per scrape interval, each comparison measurement computed in process by
 * {@link comparisonStatistic}, the exact number the template's PromQL returns (proved against a real
 * Prometheus in test/lib/analysis/canary-comparison.integration.test.ts), and judged by the template's
 * own Threshold. Other metrics (latency) pass: the synthetic requests are fast. The traffic shares
 * follow the nominal schedule, as in ./replay.ts.
 */
export async function replayComparison(replay: ComparisonReplay): Promise<ComparisonOutcome> {
  const nominal = await replayRelease(replay.plan, async () => ({ phase: 'Successful', durationS: 0 }));
  const horizonS = nominal.endS + 900;
  const random = seededRandom(replay.seed * 7919 + 17);
  const s = replay.scrapeS;
  // The scrapes fall anywhere relative to the release's start: intervals[k] is what the scrape at
  // phase + k × scrapeS added to each counter, intervals[1] the release's first part-interval.
  const phaseS = random() * s;
  // The subquery's steps fall on multiples of the scrape interval since the epoch, not on the scrapes:
  // a scrape is read by the next step, up to one interval later (cli/simulation/replay.ts, subqueryIntervals).
  const readDelayS = random() * s;
  const intervals: IntervalCounts[] = [{ canaryErrors: 0, canaryRequests: 0, stableErrors: 0, stableRequests: 0 }];
  for (let k = 1; phaseS + (k - 1) * s <= horizonS; k++) {
    const fromS = Math.max(0, phaseS + (k - 1) * s - s);
    const toS = phaseS + (k - 1) * s;
    const middleS = (fromS + toS) / 2;
    const share = shareAt(nominal.shares, middleS) / 100;
    intervals.push(drawInterval(replay.rps, share, toS - fromS, replay.canaryErrorRate(middleS), replay.stableErrorRate(middleS), random));
  }
  const outcome = await replayRelease(replay.plan, async (metric, atS) => {
    if (replay.prometheus && metric.provider === 'prometheus') return { phase: 'Error', durationS: replay.prometheus === 'down' ? 0.05 : metric.timeoutS };
    if (metric.name !== COMPARISON_METRIC_NAME || !metric.threshold) return { phase: 'Successful', durationS: 0.05 };
    const counts = alignedWindowCounts(intervals, s, atS, metric.windowS, phaseS - s + readDelayS);
    const phase = metric.threshold.evaluate([comparisonStatistic(counts, comparisonOf(metric))]).phase as 'Successful' | 'Failed' | 'Inconclusive';
    return { phase, durationS: 0.05 };
  });
  const untilS = outcome.verdict === 'Aborted' ? outcome.endS : Math.min(outcome.endS, horizonS);
  // As the real replay counts them: the scrape at phaseS + (k − 1) × S closes intervals[k], the first one from the release's start.
  const traffic = intervals.map((i, k) => ({ atS: k === 0 ? 0 : phaseS + (k - 1) * s, errors: i.canaryErrors }));
  const badRequests = errorsServed(traffic, untilS);
  return { ...outcome, badRequests };
}
