import {
  alignedCount, alignedWindowCounts, comparisonQuery, comparisonStatistic, COMPARISON_DEFAULTS, criticalZ, errorsToFail, logFactorial,
  minimumDetectableRate, normalCdf, normalQuantile, poissonTail, resolveComparison, STABLE_PRIOR_ERRORS,
} from '../../../lib/analysis/canary-comparison';
import { longestRangeSeconds, promqlSyntaxError } from '../../../lib/analysis/promql';

const OPTIONS = resolveComparison({ measurements: 10 });
const Z = criticalZ(0.01, 10);
const counts = (canaryErrors: number, canaryRequests: number, stableErrors: number, stableRequests: number) => (
  { canaryErrors, canaryRequests, stableErrors, stableRequests });

/** Poisson probabilities P(X = 0..max) by the recurrence p(k) = p(k − 1) × mean / k. */
function poissonPmf(mean: number, max: number): number[] {
  const pmf = [Math.exp(-mean)];
  for (let k = 1; k <= max; k++) pmf.push(pmf[k - 1] * mean / k);
  return pmf;
}

/**
 * The exact probability that one measurement fails a canary at `canaryRate` when stable's errors are
 * Poisson at `stableRate`: summed over stable's error count and the canary's, with the statistic itself
 * (requests at their expected counts).
 */
function exactFailProbability(canaryRequests: number, stableRequests: number, stableRate: number, canaryRate: number): number {
  const stable = poissonPmf(stableRequests * stableRate, Math.ceil(stableRequests * stableRate + 12 * Math.sqrt(stableRequests * stableRate) + 20));
  const canaryMax = Math.ceil(canaryRequests * canaryRate + 12 * Math.sqrt(canaryRequests * canaryRate) + 40);
  const canary = poissonPmf(canaryRequests * canaryRate, canaryMax);
  let total = 0;
  stable.forEach((ps, stableErrors) => {
    canary.forEach((pc, canaryErrors) => {
      const z = comparisonStatistic(counts(canaryErrors, canaryRequests, stableErrors, stableRequests), OPTIONS);
      if (z > Z) total += ps * pc;
    });
  });
  return total;
}

describe('canary comparison', () => {
  test('GIVEN the normal distribution WHEN its quantiles are computed THEN they match the tables and invert Φ', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.999)).toBeCloseTo(3.090232, 5);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
    expect(normalQuantile(1e-6)).toBeCloseTo(-4.753424, 4);
    for (const p of [0.001, 0.2, 0.9, 0.9999]) expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 6);
    expect([normalQuantile(0), normalQuantile(1), normalQuantile(2)]).toEqual([-Infinity, Infinity, NaN]);
  });

  test('GIVEN a budget of 1% over 10 measurements WHEN the critical value is computed THEN it is Φ⁻¹(0.999), rounded up', () => {
    expect(Z).toBe(3.0903);
    expect(criticalZ(0.01, 15)).toBe(3.2088);
  });

  test('GIVEN a canary exactly at the null boundary and a stable known exactly WHEN one measurement is judged THEN its exact Poisson false-alarm probability is at most α/m, at every count', () => {
    // Bonferroni needs P(z > z_crit) ≤ α/m for each measurement; the Anscombe score is checked against exact Poisson tails.
    for (const lambda of [0.01, 0.1, 0.5, 1, 2, 5, 13, 20, 50, 100, 300, 1000, 5000]) {
      const k = errorsToFail({ canaryRequests: 1e9, stableRequests: 1e18, stableRate: 0 }, { ...OPTIONS, allowance: lambda / 1e9, ceiling: 1 }, Z);
      expect([lambda, poissonTail(k, lambda) <= 0.01 / 10]).toEqual([lambda, true]);
    }
  });

  test.each([[100, 900], [300, 300], [40, 360], [1000, 1000], [3000, 3000]])(
    'GIVEN %d canary and %d stable requests, stable estimated from its own Poisson count WHEN the canary is as good as stable THEN a measurement fails far below α/m, and at the tolerance\'s edge at most 1.5 × α/m',
    (canaryRequests, stableRequests) => {
      // Stable's errors are Poisson too, which the spread accounts for; at the edge of the tolerance (1.5 × stable + allowance,
      // not a regression by definition) the normal approximation of the score spends up to 1.4 × α/m.
      for (const stableRate of [0, 0.001, 0.01, 0.05]) {
        const atBoundary = exactFailProbability(canaryRequests, stableRequests, stableRate, OPTIONS.ratio * stableRate + OPTIONS.allowance);
        expect([stableRate, atBoundary <= 1.5 * 0.01 / 10]).toEqual([stableRate, true]);
        const asGood = exactFailProbability(canaryRequests, stableRequests, stableRate, stableRate);
        expect([stableRate, asGood <= 0.01 / 10 / 5]).toEqual([stableRate, true]);
      }
    },
  );

  test('GIVEN a stable count left out of the spread WHEN a 50/50 canary and stable at 1% meet stable errors low by chance THEN the plain score would fail it and the spread does not', () => {
    // 200 requests each, stable 0 errors by chance (P = 13.5% at a true 1%), canary 5: the score without stable's noise is above z.
    const lambda0 = 200 * (1.5 * 0 / 200 + OPTIONS.allowance);
    expect(2 * (Math.sqrt(5.375) - Math.sqrt(lambda0 + 0.375))).toBeGreaterThan(Z);
    expect(comparisonStatistic(counts(5, 200, 0, 200), OPTIONS)).toBeLessThan(Z);
    expect(STABLE_PRIOR_ERRORS).toBe(1);
  });

  test('GIVEN Poisson tails WHEN computed in log space THEN they match direct sums and do not underflow', () => {
    expect(logFactorial(10)).toBeCloseTo(Math.log(3628800), 9);
    expect(poissonTail(3, 2)).toBeCloseTo(1 - Math.exp(-2) * (1 + 2 + 2), 12);
    expect(poissonTail(1101, 1000)).toBeGreaterThan(0);
    expect(poissonTail(1101, 1000)).toBeLessThan(0.001);
    expect([poissonTail(0, 5), poissonTail(1, 0)]).toEqual([1, 0]);
  });

  test('GIVEN window counts WHEN judged THEN the data floor is NaN, the ceiling +Inf, and otherwise the Anscombe score against 1.5× stable + 0.05 points', () => {
    expect(comparisonStatistic(counts(0, 9, 0, 1000), OPTIONS)).toBeNaN();
    expect(comparisonStatistic(counts(1, 50, 0, 5), OPTIONS)).toBeNaN();
    expect(comparisonStatistic(counts(5, 10, 0, 0), OPTIONS)).toBe(Infinity);
    const lambda0 = 1000 * (1.5 * 10 / 10000 + 0.0005);
    const spread = Math.sqrt(1 + (1.5 * 1000 / 10000) ** 2 * (10 + 1) / (lambda0 + 0.375));
    expect(comparisonStatistic(counts(4, 1000, 10, 10000), OPTIONS)).toBeCloseTo(2 * (Math.sqrt(4.375) - Math.sqrt(lambda0 + 0.375)) / spread, 12);
  });

  test('GIVEN a shared outage WHEN stable and canary both fail 5% THEN the canary passes; GIVEN 20% against 0.1% THEN it fails', () => {
    expect(comparisonStatistic(counts(50, 1000, 450, 9000), OPTIONS)).toBeLessThan(Z);
    expect(comparisonStatistic(counts(200, 1000, 9, 9000), OPTIONS)).toBeGreaterThan(Z);
  });

  test('GIVEN the pitfall of the plain z-test WHEN 2 errors meet 0.3 expected THEN the score does not fail it', () => {
    // Nominal two-proportion p 0.001, exact Poisson 0.037: far from the 0.001 a measurement may spend.
    expect(comparisonStatistic(counts(2, 150, 18, 13500), OPTIONS)).toBeLessThan(Z);
  });

  test('GIVEN a measurement WHEN the fewest failing errors and the detectable rate are computed THEN they agree with the statistic', () => {
    const window = { canaryRequests: 1000, stableRequests: 10000, stableRate: 0.001 };
    const k = errorsToFail(window, OPTIONS, Z);
    expect(comparisonStatistic(counts(k, 1000, 10, 10000), OPTIONS)).toBeGreaterThan(Z);
    expect(comparisonStatistic(counts(k - 1, 1000, 10, 10000), OPTIONS)).toBeLessThanOrEqual(Z);
    const mde = minimumDetectableRate(window, OPTIONS, Z);
    expect(poissonTail(k, 1000 * mde)).toBeCloseTo(0.8, 6);
    expect(minimumDetectableRate({ ...window, canaryRequests: 5 }, OPTIONS, Z)).toBeNaN();
    expect(minimumDetectableRate({ ...window, stableRequests: 5 }, OPTIONS, Z)).toBeNaN();
    // With 12 requests the score needs 5 errors (λ0 ≈ 0); with 10 the ceiling (half of them) decides first.
    expect(errorsToFail({ ...window, canaryRequests: 12 }, OPTIONS, Z)).toBe(5);
    expect(errorsToFail({ ...window, canaryRequests: 10 }, { ...OPTIONS, ceiling: 0.3 }, Z)).toBe(3);
    // Below the floor nothing fails the measurement.
    expect(errorsToFail({ ...window, canaryRequests: 9 }, OPTIONS, Z)).toBe(Infinity);
  });

  test('GIVEN selectors WHEN the query is built THEN it parses, counts without extrapolation and ends in one NaN sample', () => {
    const query = comparisonQuery({ requests: 'r', serverErrors: 'code=~"5.."', canary: 'h="c"', stable: 'h="s"' }, '40s', '10s', OPTIONS);
    expect(promqlSyntaxError(query)).toBeUndefined();
    expect(query).not.toContain('increase(');
    expect(longestRangeSeconds(query)).toBe(40);
    expect(query.split('\n').pop()).toBe('or vector(NaN)');
    // Every count is gated on the canary's requests rising in the same scrape interval.
    expect(alignedCount('r{h="s"}', 'r{h="c"}', '40s', '10s')).toBe(
      '(sum_over_time((sum(clamp_min(r{h="s"} - (r{h="s"} offset 10s), 0) or r{h="s"}) and on() '
      + '(sum(clamp_min(r{h="c"} - (r{h="c"} offset 10s), 0) or r{h="c"}) > 0))[40s:10s]) or vector(0))');
  });

  test('GIVEN scrape increments WHEN a window is counted in process THEN it sums the scrapes from t − W to t, stable only where the canary took requests', () => {
    const interval = (canaryRequests: number, stableRequests: number, canaryErrors = 0, stableErrors = 0) => (
      { canaryRequests, stableRequests, canaryErrors, stableErrors });
    // Scrapes at 10, 20, 30, 40, 50 s; the canary takes no request in the one at 20 s.
    const intervals = [interval(0, 0), interval(3, 30, 1, 0), interval(0, 30, 0, 5), interval(4, 30, 0, 1), interval(2, 30), interval(5, 30, 2, 0)];
    expect(alignedWindowCounts(intervals, 10, 45, 40)).toEqual({ canaryRequests: 9, canaryErrors: 1, stableRequests: 90, stableErrors: 1 });
    // A scrape exactly at t − W is in the window (Prometheus 2.x subqueries); one after t is not.
    expect(alignedWindowCounts(intervals, 10, 50, 40)).toEqual({ canaryRequests: 14, canaryErrors: 3, stableRequests: 120, stableErrors: 1 });
    expect(alignedWindowCounts(intervals, 10, 9.9, 40)).toEqual({ canaryRequests: 0, canaryErrors: 0, stableRequests: 0, stableErrors: 0 });
    // Scrapes 3 s later: at 13, 23, 33, 43, 53 s.
    expect(alignedWindowCounts(intervals, 10, 45, 40, 3)).toEqual(alignedWindowCounts(intervals, 10, 42, 40));
  });

  test.each([
    [{ alpha: 0 }, "canaryComparison: 'alpha' is 0: must be above 0 and below 0.5; use a false-abort budget such as 0.01"],
    [{ measurements: 0 }, "canaryComparison: 'measurements' is 0: must be a positive integer; count every measurement of every analysed step"],
    [{ minRequests: 0.5 }, "canaryComparison: 'minRequests' is 0.5: must be a positive integer; use e.g. 10"],
    [{ ratio: 0.9 }, "canaryComparison: 'ratio' is 0.9: must be at least 1: below, a canary as good as stable fails; use e.g. 1.5"],
    [{ allowance: 0 }, "canaryComparison: 'allowance' is 0: must be above 0 and below 1: at 0, one error fails a canary whose stable has none; use e.g. 0.0005"],
    [{ ceiling: 1.5 }, "canaryComparison: 'ceiling' is 1.5: must be above 0 and at most 1; use e.g. 0.5, above any shared outage"],
  ])('GIVEN %j WHEN resolved THEN it is refused', (options, message) => {
    expect(() => resolveComparison({ measurements: 10, ...options })).toThrow(message);
  });

  test('GIVEN no options but the count WHEN resolved THEN the defaults are the documented ones', () => {
    expect(resolveComparison({ measurements: 4 })).toEqual({ ...COMPARISON_DEFAULTS, measurements: 4 });
  });
});
