import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { subqueryIntervals } from '../../../cli/simulation/replay';
import { IntervalCount } from '../../../cli/simulation/synthetic-metrics';
import { PrometheusServer, promNumber } from '../../../cli/support/prometheus-server';
import { poisson, seededRandom } from '../../../delivery/plan';
import {
  WindowCounts, alignedCount, alignedWindowCounts, comparisonQuery, comparisonStatistic, criticalZ, resolveComparison,
} from '../../../lib/analysis/canary-comparison';

// A real Prometheus (Debian's package, 2.42) on a TSDB backfilled with promtool: the in-process evaluator
// (alignedWindowCounts + comparisonStatistic) must compute exactly the number the template's PromQL returns.
//
// What the reference counting relies on, read in prometheus v2.42.0 promql/engine.go:
// - a subquery `[W:S]` is evaluated at the multiples of S since the Unix epoch from the first one at or
//   after t − W (`newEv.startTimestamp = newEv.interval * (...)`, `if newEv.startTimestamp < ...`), up to t;
// - sum_over_time over its output keeps the points at or after t − W (matrixIterSlice, `if t >= mint`), so a
//   step exactly at t − W counts. v3.0.0 still evaluates that step but drops it (`floats[drop].T <= mint`):
//   3.x left-opens ranges, and the step at t − W no longer counts (the boundary test below shows the difference);
// - each step reads a counter's last sample at or before it, so a scrape is counted by the first step at or
//   after it: cli/simulation/replay.ts, subqueryIntervals, which this test uses to feed the in-process evaluator.
jest.setTimeout(120_000);

/** A multiple of 10 s, not of 15 s: the 10 s scrapes at phase 0 fall on the subquery's steps, the 15 s ones do not. */
const ORIGIN = 1_700_000_000;
const END_S = 600;
const OPTIONS = resolveComparison({ measurements: 10 });
const Z_CRIT = criticalZ(OPTIONS.alpha, OPTIONS.measurements);
const SELECTORS = { requests: 'http_requests_total', serverErrors: 'code=~"5.."', canary: 'pod="canary"', stable: 'pod="stable"' };

interface Scenario {
  readonly name: string;
  readonly scrapeS: number;
  /** What each scrape added, the first scrape (at ORIGIN + traffic[0].atS) adding nothing. */
  readonly traffic: readonly IntervalCount[];
}

interface Traffic {
  readonly canaryRps: number;
  readonly canaryErr: (atS: number) => number;
  readonly stableRps: number;
  readonly stableErr: (atS: number) => number;
  /** When the canary takes its first request; stable serves from the start. */
  readonly canaryFromS: number;
  /** @default 10 */
  readonly scrapeS?: number;
  /** Where the scrapes fall after ORIGIN. @default 0 */
  readonly phaseS?: number;
}

/** Poisson traffic per scrape interval, the canary's only in the intervals after it started. */
function scenario(name: string, seed: number, t: Traffic): Scenario {
  const random = seededRandom(seed);
  const scrapeS = t.scrapeS ?? 10;
  const phaseS = t.phaseS ?? 0;
  const traffic: IntervalCount[] = [{ atS: phaseS, requests: 0, errors: 0, stableRequests: 0, stableErrors: 0 }];
  for (let atS = phaseS + scrapeS; atS <= END_S; atS += scrapeS) {
    const middleS = atS - scrapeS / 2;
    const requests = atS - scrapeS >= t.canaryFromS ? poisson(t.canaryRps * scrapeS, random) : 0;
    const errors = Math.min(requests, poisson(requests * t.canaryErr(middleS), random));
    const stableRequests = poisson(t.stableRps * scrapeS, random);
    const stableErrors = Math.min(stableRequests, poisson(stableRequests * t.stableErr(middleS), random));
    traffic.push({ atS, requests, errors, stableRequests, stableErrors });
  }
  return { name, scrapeS, traffic };
}

const at = (rate: number) => () => rate;
const SCENARIOS: Scenario[] = [
  scenario('healthy at 20 rps', 1, { canaryRps: 2, canaryErr: at(0.001), stableRps: 18, stableErr: at(0.001), canaryFromS: 30 }),
  scenario('healthy at 2 rps (thin data)', 2, { canaryRps: 0.2, canaryErr: at(0.001), stableRps: 1.8, stableErr: at(0.001), canaryFromS: 30 }),
  scenario('bad from start (20%)', 3, { canaryRps: 5, canaryErr: at(0.2), stableRps: 45, stableErr: at(0.001), canaryFromS: 30 }),
  scenario('shared outage (5% on both)', 4, { canaryRps: 5, canaryErr: at(0.05), stableRps: 45, stableErr: at(0.05), canaryFromS: 30 }),
  scenario('canary all failing', 5, { canaryRps: 1, canaryErr: at(1), stableRps: 9, stableErr: at(0.001), canaryFromS: 30 }),
  scenario('no stable errors, a few canary errors', 6, { canaryRps: 3, canaryErr: at(0.01), stableRps: 27, stableErr: at(0), canaryFromS: 30 }),
  scenario('stable long before the canary, scrapes off the steps', 7,
    { canaryRps: 5, canaryErr: at(0.001), stableRps: 45, stableErr: at(0.001), canaryFromS: 300, phaseS: 3 }),
  scenario('shared-outage-onset: 5% on both from 30 s after the canary started', 8, {
    canaryRps: 20, canaryErr: t => (t >= 330 ? 0.05 : 0.001), stableRps: 30, stableErr: t => (t >= 330 ? 0.05 : 0.001), canaryFromS: 300, phaseS: 7,
  }),
  scenario('bad from start at a 15 s scrape, off the steps', 9,
    { canaryRps: 5, canaryErr: at(0.2), stableRps: 45, stableErr: at(0.001), canaryFromS: 30, scrapeS: 15, phaseS: 4 }),
];
const STABLE_EARLY = 6;
const ONSET = 7;

/** The four series of a scenario, each created at its first increment as client libraries create a labelled series. */
function openMetricsLines(s: Scenario, index: number): string[] {
  const lines: string[] = [];
  const counters: [labels: string, served: (c: IntervalCount) => number][] = [
    ['pod="canary",code="200"', c => c.requests - c.errors],
    ['pod="canary",code="500"', c => c.errors],
    ['pod="stable",code="200"', c => c.stableRequests - c.stableErrors],
    ['pod="stable",code="500"', c => c.stableErrors],
  ];
  for (const [labels, served] of counters) {
    let total = 0;
    for (const c of s.traffic) {
      total += served(c);
      if (total > 0) lines.push(`http_requests_total{scenario="${index}",${labels}} ${total} ${ORIGIN + c.atS}`);
    }
  }
  return lines;
}

/** The in-process evaluator's counts of a scenario at `atS` over `windowS`. */
function inProcess(s: Scenario, atS: number, windowS: number): WindowCounts {
  const { intervals, phaseS } = subqueryIntervals(s.traffic, ORIGIN, s.scrapeS);
  return alignedWindowCounts(intervals, s.scrapeS, atS, windowS, phaseS);
}

const scoped = (index: number) => ({ ...SELECTORS, canary: `scenario="${index}",${SELECTORS.canary}`, stable: `scenario="${index}",${SELECTORS.stable}` });

/** alignedCount's PromQL for each of the four counts of scenario `index`. */
function countQueries(index: number, window: string, step: string): Record<keyof WindowCounts, string> {
  const { requests, serverErrors, canary, stable } = scoped(index);
  const count = (series: string) => alignedCount(series, `${requests}{${canary}}`, window, step);
  return {
    canaryErrors: count(`${requests}{${canary},${serverErrors}}`),
    canaryRequests: count(`${requests}{${canary}}`),
    stableErrors: count(`${requests}{${stable},${serverErrors}}`),
    stableRequests: count(`${requests}{${stable}}`),
  };
}

describe('canary comparison against a real Prometheus', () => {
  let prometheus: PrometheusServer;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'comparison-'));

  beforeAll(async () => {
    const lines = ['# TYPE http_requests_total unknown', ...SCENARIOS.flatMap((s, i) => openMetricsLines(s, i)), '# EOF'];
    fs.writeFileSync(path.join(dir, 'series.om'), `${lines.join('\n')}\n`);
    prometheus = await PrometheusServer.fromOpenMetrics(path.join(dir, 'series.om'));
  });

  afterAll(async () => {
    await prometheus?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const query = async (promql: string, atS: number): Promise<number[]> => {
    const response = await fetch(`${prometheus.url}/api/v1/query?time=${ORIGIN + atS}&query=${encodeURIComponent(promql)}`);
    const body = await response.json() as { status: string; data?: { result: { value: [number, string] }[] } };
    expect(body.status).toBe('success');
    return (body.data?.result ?? []).map(r => promNumber(r.value[1]));
  };

  const counted = async (index: number, windowS: number, step: number, atS: number): Promise<WindowCounts> => {
    const queries = countQueries(index, `${windowS}s`, `${step}s`);
    const [canaryErrors, canaryRequests, stableErrors, stableRequests] = await Promise.all(
      [queries.canaryErrors, queries.canaryRequests, queries.stableErrors, queries.stableRequests].map(async q => (await query(q, atS))[0]),
    );
    return { canaryErrors, canaryRequests, stableErrors, stableRequests };
  };

  // Times and windows where t − W is no step of the subquery (a fraction of a second off), so that 2.x and 3.x agree.
  const TIMES = [35.5, 57.3, 95.5, 186.7, 305.5, 335.2, 404.2, 454.2, 599.5];

  test('GIVEN nine scenarios WHEN the counts and the comparison are evaluated at many times and windows THEN Prometheus returns exactly the in-process numbers, one sample each', async () => {
    const outcomes = new Set<string>();
    let compared = 0;
    for (const [index, s] of SCENARIOS.entries()) {
      for (const windowS of [4 * s.scrapeS, 150, 300]) {
        const comparison = comparisonQuery(scoped(index), `${windowS}s`, `${s.scrapeS}s`, OPTIONS);
        for (const atS of TIMES) {
          const counts = inProcess(s, atS, windowS);
          expect([s.name, windowS, atS, await counted(index, windowS, s.scrapeS, atS)]).toEqual([s.name, windowS, atS, counts]);
          const expected = comparisonStatistic(counts, OPTIONS);
          // Object.is: NaN equals NaN, and the floating-point operations run in the same order in both.
          expect([s.name, windowS, atS, await query(comparison, atS)]).toEqual([s.name, windowS, atS, [expected]]);
          compared += 1;
          outcomes.add(Number.isNaN(expected) ? 'NaN' : !Number.isFinite(expected) ? 'Inf' : expected > Z_CRIT ? 'fail' : 'pass');
        }
      }
    }
    expect(compared).toBe(SCENARIOS.length * 3 * TIMES.length);
    // The cases cover every outcome: below the floor, the ceiling, a significant regression and a pass.
    expect([...outcomes].sort()).toEqual(['Inf', 'NaN', 'fail', 'pass']);
  });

  test('GIVEN stable series long before the canary WHEN stable is counted THEN its count starts at the canary\'s first request', async () => {
    const s = SCENARIOS[STABLE_EARLY];
    const firstCanary = s.traffic.find(c => c.requests > 0)!;
    expect(firstCanary.atS).toBe(313);
    const { stableRequests } = countQueries(STABLE_EARLY, '150s', '10s');
    // Before the canary's first request: nothing, though stable served 45 requests/s for five minutes.
    expect(await query(stableRequests, 305.5)).toEqual([0]);
    // 37 s after (the last scrape read is the one at 343 s, by the step at 350 s): the stable requests of the
    // intervals since the canary's first request, not of the whole window.
    const atS = 350.5;
    const since = s.traffic.filter(c => c.atS >= firstCanary.atS && c.atS <= atS);
    const plain = s.traffic.filter(c => c.atS > atS - 150 && c.atS <= atS);
    const sum = (of: IntervalCount[]) => of.reduce((n, c) => n + c.stableRequests, 0);
    expect(since.every(c => c.requests > 0)).toBe(true);
    expect(await query(stableRequests, atS)).toEqual([sum(since)]);
    expect(inProcess(s, atS, 150).stableRequests).toBe(sum(since));
    expect(sum(plain)).toBeGreaterThan(3 * sum(since));
  });

  test('GIVEN a shared outage that starts after the canary WHEN compared THEN no measurement fails, where a stable window reaching before the canary would fail it', async () => {
    const s = SCENARIOS[ONSET];
    const comparison = comparisonQuery(scoped(ONSET), '300s', '10s', OPTIONS);
    const { intervals, phaseS } = subqueryIntervals(s.traffic, ORIGIN, s.scrapeS);
    let unalignedFailures = 0;
    for (const atS of [335.2, 355.5, 404.2, 454.2, 599.5]) {
      const [score] = await query(comparison, atS);
      expect([atS, score <= Z_CRIT]).toEqual([atS, true]);
      // The same canary counts against stable over the whole window, before the canary started too (the pre-#24 window).
      const aligned = alignedWindowCounts(intervals, s.scrapeS, atS, 300, phaseS);
      const everyInterval = s.traffic.filter(c => c.atS > atS - 300 && c.atS <= atS);
      const unaligned = comparisonStatistic({
        ...aligned,
        stableErrors: everyInterval.reduce((n, c) => n + c.stableErrors, 0),
        stableRequests: everyInterval.reduce((n, c) => n + c.stableRequests, 0),
      }, OPTIONS);
      if (unaligned > Z_CRIT) unalignedFailures += 1;
    }
    expect(unalignedFailures).toBeGreaterThan(0);
  });

  test('GIVEN a window whose start falls exactly on a subquery step WHEN counted THEN 2.42 counts that step\'s scrape, which 3.x would leave out', async () => {
    const s = SCENARIOS[0];
    // Scrapes at ORIGIN + 10k fall on the steps; at t = 190 s a 40 s window starts on the step (and scrape) at 150 s.
    const atS = 190;
    const boundary = s.traffic.find(c => c.atS === 150)!;
    expect(boundary.requests).toBeGreaterThan(0);
    const { canaryRequests } = countQueries(0, '40s', '10s');
    const inclusive = inProcess(s, atS, 40).canaryRequests;
    const leftOpen = inProcess(s, atS, 40 - 1e-3).canaryRequests;
    expect(await query(canaryRequests, atS)).toEqual([inclusive]);
    expect(inclusive - leftOpen).toBe(boundary.requests);
  });

  test('GIVEN a 5xx series that appears at the first error WHEN counted THEN the count is the raw count, where increase() misreads it', async () => {
    const index = 5;
    const s = SCENARIOS[index];
    const first = s.traffic.find(c => c.errors > 0)!;
    const atS = first.atS + 40.5;
    const raw = s.traffic.filter(c => c.atS <= atS).reduce((n, c) => n + c.errors, 0);
    const { canaryErrors } = countQueries(index, '150s', '10s');
    expect(await query(canaryErrors, atS)).toEqual([raw]);
    // increase() never sees the 2 errors of the series' first sample, and extrapolates the 2 after it from the
    // 40 s they span to 45.5 s (half an interval towards the window's start, 0.5 s to its end: promql/functions.go,
    // extrapolatedRate, v2.42.0): 2.275 for 4.
    const extrapolated = (await query(`sum(increase(http_requests_total{scenario="${index}",pod="canary",code="500"}[150s]))`, atS))[0];
    expect([first.atS, first.errors, raw, extrapolated]).toEqual([80, 2, 4, 2.275]);
  });

  test('GIVEN no series at all WHEN the comparison is queried THEN it returns one NaN, never an empty result', async () => {
    const comparison = comparisonQuery({ ...SELECTORS, canary: 'pod="none"', stable: 'pod="none-either"' }, '40s', '10s', OPTIONS);
    expect(await query(comparison, 300)).toEqual([NaN]);
  });
});
