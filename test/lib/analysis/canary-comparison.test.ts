import {
  comparisonQuery, comparisonStatistic, COMPARISON_DEFAULTS, criticalZ, errorsToFail, logFactorial, minimumDetectableRate,
  normalCdf, normalQuantile, poissonTail, resolveComparison, windowCount,
} from '../../../lib/analysis/canary-comparison';
import { longestRangeSeconds, promqlSyntaxError } from '../../../lib/analysis/promql';

const OPTIONS = resolveComparison({ measurements: 10 });
const Z = criticalZ(0.01, 10);
const counts = (canaryErrors: number, canaryRequests: number, stableErrors: number, stableRequests: number) => (
  { canaryErrors, canaryRequests, stableErrors, stableRequests });

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

  test('GIVEN a canary exactly at the null boundary WHEN one measurement is judged THEN its exact Poisson false-alarm probability is at most α/m, at every count', () => {
    // Bonferroni needs P(z > z_crit) ≤ α/m for each measurement; the Anscombe score is checked against exact Poisson tails.
    for (const lambda of [0.01, 0.1, 0.5, 1, 2, 5, 13, 20, 50, 100, 300, 1000, 5000]) {
      const k = errorsToFail(1e9, 0, { ...OPTIONS, allowance: lambda / 1e9, ceiling: 1 }, Z);
      expect([lambda, poissonTail(k, lambda) <= 0.01 / 10]).toEqual([lambda, true]);
    }
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
    expect(comparisonStatistic(counts(4, 1000, 10, 10000), OPTIONS)).toBeCloseTo(2 * (Math.sqrt(4.375) - Math.sqrt(lambda0 + 0.375)), 12);
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
    const k = errorsToFail(1000, 0.001, OPTIONS, Z);
    expect(comparisonStatistic(counts(k, 1000, 10, 10000), OPTIONS)).toBeGreaterThan(Z);
    expect(comparisonStatistic(counts(k - 1, 1000, 10, 10000), OPTIONS)).toBeLessThanOrEqual(Z);
    const mde = minimumDetectableRate(1000, 0.001, OPTIONS, Z);
    expect(poissonTail(k, 1000 * mde)).toBeCloseTo(0.8, 6);
    expect(minimumDetectableRate(5, 0.001, OPTIONS, Z)).toBeNaN();
    // With 12 requests the score needs 5 errors (λ0 ≈ 0); with 10 the ceiling (half of them) decides first.
    expect(errorsToFail(12, 0.001, OPTIONS, Z)).toBe(5);
    expect(errorsToFail(10, 0.001, { ...OPTIONS, ceiling: 0.3 }, Z)).toBe(3);
  });

  test('GIVEN selectors WHEN the query is built THEN it parses, counts without extrapolation and ends in one NaN sample', () => {
    const query = comparisonQuery({ requests: 'r', serverErrors: 'code=~"5.."', canary: 'h="c"', stable: 'h="s"' }, '40s', OPTIONS);
    expect(promqlSyntaxError(query)).toBeUndefined();
    expect(query).not.toContain('increase(');
    expect(longestRangeSeconds(query)).toBe(40);
    expect(query.split('\n').pop()).toBe('or vector(NaN)');
    expect(windowCount('r{h="c"}', '40s')).toBe('(sum(clamp_min(r{h="c"} - (r{h="c"} offset 40s), 0) or r{h="c"}) or vector(0))');
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
