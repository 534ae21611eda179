import { Threshold, Verdict } from '../../../lib/analysis/threshold';

describe('Threshold', () => {
  test('GIVEN the fail-closed default WHEN rendered THEN no result[0] index is used and only a success condition exists', () => {
    const threshold = Threshold.atLeast(0.99);
    expect(threshold.successCondition()).toBe('len(result) > 0 && all(result, {(!isNaN(#) && !isInf(#) && # >= 0.99)})');
    expect(threshold.successCondition()).not.toMatch(/result\s*\[/);
    expect(threshold.failureCondition()).toBeUndefined();
  });

  test('GIVEN inconclusive no-data policies WHEN rendered THEN a failure condition separates failures from missing data', () => {
    const threshold = Threshold.atMost(0.5, { onEmpty: Verdict.INCONCLUSIVE, onNaN: Verdict.INCONCLUSIVE });
    expect(threshold.successCondition()).toBe('len(result) > 0 && all(result, {(!isNaN(#) && !isInf(#) && # <= 0.5)})');
    expect(threshold.failureCondition()).toBe('any(result, {(!isNaN(#) && !isInf(#) && !(# <= 0.5)) || isInf(#)})');
  });

  test('GIVEN a pass-on-empty policy WHEN rendered THEN the length guard is dropped because all() of nothing is true', () => {
    expect(Threshold.atLeast(0.9, { onEmpty: Verdict.PASS, onNaN: Verdict.PASS }).successCondition())
      .toBe('all(result, {(!isNaN(#) && !isInf(#) && # >= 0.9) || isNaN(#)})');
  });

  test.each([
    ['fail-closed', Threshold.atLeast(0.99), [[0.995], [0.98], [], [NaN], [Infinity], [1, 0.5]], ['Successful', 'Failed', 'Failed', 'Failed', 'Failed', 'Failed']],
    ['inconclusive without data', Threshold.atLeast(0.99, { onEmpty: Verdict.INCONCLUSIVE, onNaN: Verdict.INCONCLUSIVE }), [[0.995], [0.98], [], [NaN], [Infinity], [NaN, 0.5]], ['Successful', 'Failed', 'Inconclusive', 'Inconclusive', 'Failed', 'Failed']],
    ['pass without data', Threshold.atMost(0.3, { onEmpty: Verdict.PASS, onNaN: Verdict.PASS }), [[0.2], [0.4], [], [NaN], [-Infinity]], ['Successful', 'Failed', 'Successful', 'Successful', 'Failed']],
  ])('GIVEN the %s policy WHEN results are evaluated THEN the verdicts follow the documented policy', (_, threshold, results, phases) => {
    expect(results.map(r => threshold.evaluate(r).phase)).toEqual(phases);
  });

  test('GIVEN a threshold WHEN described THEN every policy is named', () => {
    expect(Threshold.atLeast(0.99).describe()).toBe('>= 0.99 (empty: Failed, NaN: Failed, Inf: Failed)');
  });
});
