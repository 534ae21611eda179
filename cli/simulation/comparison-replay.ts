import { RolloutPlan } from '../../delivery/plan';
import { comparisonOf, comparisonStatistic } from '../../lib/analysis/canary-comparison';
import { replayRelease, ReplayResult } from './controller-model';
import { poisson, seededRandom, shareAt } from './synthetic-metrics';

/** The metric name of the canary-against-stable comparison (lib/analysis/presets.ts, canaryComparisonMetric). */
export const COMPARISON_METRIC = 'error-rate-vs-stable';
export { comparisonOf };

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

/** Cumulative counters at each scrape (index k is the scrape at k × scrapeS). */
interface Counters {
  readonly canaryErrors: number[];
  readonly canaryRequests: number[];
  readonly stableErrors: number[];
  readonly stableRequests: number[];
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
  const counters: Counters = { canaryErrors: [0], canaryRequests: [0], stableErrors: [0], stableRequests: [0] };
  const canaryErrorsAt: number[] = [0];
  for (let k = 1; k * s <= horizonS; k++) {
    const share = shareAt(nominal.shares, (k - 0.5) * s) / 100;
    const cn = poisson(replay.rps * share * s, random);
    const ce = Math.min(cn, poisson(cn * replay.canaryErrorRate((k - 0.5) * s), random));
    const sn = poisson(replay.rps * (1 - share) * s, random);
    const se = Math.min(sn, poisson(sn * replay.stableErrorRate((k - 0.5) * s), random));
    counters.canaryRequests.push(counters.canaryRequests[k - 1] + cn);
    counters.canaryErrors.push(counters.canaryErrors[k - 1] + ce);
    counters.stableRequests.push(counters.stableRequests[k - 1] + sn);
    counters.stableErrors.push(counters.stableErrors[k - 1] + se);
    canaryErrorsAt.push(ce);
  }
  const at = (series: number[], atS: number) => (atS < 0 ? 0 : series[Math.min(series.length - 1, Math.floor(atS / s))]);
  const windowOf = (series: number[], atS: number, windowS: number) => at(series, atS) - at(series, atS - windowS);
  const outcome = await replayRelease(replay.plan, async (metric, atS) => {
    if (replay.prometheus && metric.provider === 'prometheus') return { phase: 'Error', durationS: replay.prometheus === 'down' ? 0.05 : metric.timeoutS };
    if (metric.name !== COMPARISON_METRIC || !metric.threshold) return { phase: 'Successful', durationS: 0.05 };
    const counts = {
      canaryErrors: windowOf(counters.canaryErrors, atS, metric.windowS),
      canaryRequests: windowOf(counters.canaryRequests, atS, metric.windowS),
      stableErrors: windowOf(counters.stableErrors, atS, metric.windowS),
      stableRequests: windowOf(counters.stableRequests, atS, metric.windowS),
    };
    const phase = metric.threshold.evaluate([comparisonStatistic(counts, comparisonOf(metric))]).phase as 'Successful' | 'Failed' | 'Inconclusive';
    return { phase, durationS: 0.05 };
  });
  const untilS = outcome.verdict === 'Aborted' ? outcome.endS : Math.min(outcome.endS, horizonS);
  const badRequests = canaryErrorsAt.filter((_, k) => k * s <= untilS).reduce((a, b) => a + b, 0);
  return { ...outcome, badRequests };
}
