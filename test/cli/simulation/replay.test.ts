import { comparisonCheck, subqueryIntervals } from '../../../cli/simulation/replay';
import { IntervalCount } from '../../../cli/simulation/synthetic-metrics';
import { alignedWindowCounts, comparisonQuery, comparisonStatistic, resolveComparison } from '../../../lib/analysis/canary-comparison';

// The real replay itself runs against Prometheus in replay.integration.test.ts; these are its pure parts.

const interval = (atS: number, requests: number, errors: number): IntervalCount => ({
  atS, requests, errors, stableRequests: 10 * requests, stableErrors: 0,
});

describe('replay', () => {
  test.each([
    ['scrapes between the steps', 1_700_000_005, 3, 5],
    ['scrapes on the steps', 1_700_000_000, 10, 10],
    ['a release that starts between steps, scraped on them', 1_700_000_004, 6, 6],
  ])('GIVEN %s WHEN the traffic is read as the subquery sees it THEN each scrape counts from the first 10 s multiple of Unix time at or after it', (_, originEpochS, firstScrapeS, phaseS) => {
    const traffic = [interval(firstScrapeS, 0, 0), interval(firstScrapeS + 10, 20, 1)];
    expect(subqueryIntervals(traffic, originEpochS, 10)).toEqual({
      phaseS,
      intervals: [
        { canaryRequests: 0, canaryErrors: 0, stableRequests: 0, stableErrors: 0 },
        { canaryRequests: 20, canaryErrors: 1, stableRequests: 200, stableErrors: 0 },
      ],
    });
  });

  test('GIVEN a comparison measurement WHEN Prometheus\'s value is checked against the in-process one THEN only an exact single value is equal, and other metrics are not counted', () => {
    const options = resolveComparison({ measurements: 10 });
    const metric = {
      name: 'error-rate-vs-stable', windowS: 60,
      query: comparisonQuery({ requests: 'r', serverErrors: 'code="500"', canary: 'pod="c"', stable: 'pod="s"' }, '60s', '10s', options),
    };
    const traffic = [interval(3, 0, 0), ...Array.from({ length: 12 }, (_, k) => interval(13 + 10 * k, 40, k % 3))];
    // Origin 1_700_000_000: the scrape at 3 s is read by the step at 10 s.
    const expected = comparisonStatistic(alignedWindowCounts(traffic.map(c => ({
      canaryRequests: c.requests, canaryErrors: c.errors, stableRequests: c.stableRequests, stableErrors: c.stableErrors,
    })), 10, 95.5, 60, 10), options);
    expect(Number.isFinite(expected)).toBe(true);
    const recorded: (string | undefined)[] = [];
    const check = comparisonCheck('sim-7 (healthy)', traffic, 1_700_000_000, 10, mismatch => recorded.push(mismatch));
    check(metric, 95.5, [expected]);
    check(metric, 95.5, [expected + 1e-12]);
    check(metric, 95.5, []);
    check(metric, 1, [NaN]);
    check({ ...metric, name: 'latency' }, 95.5, [0.2]);
    expect(recorded).toEqual([
      undefined,
      `sim-7 (healthy) error-rate-vs-stable at 95.5 s: Prometheus [${expected + 1e-12}], in process ${expected}`,
      `sim-7 (healthy) error-rate-vs-stable at 95.5 s: Prometheus [], in process ${expected}`,
      undefined,
    ]);
  });
});
