import { ScalarThreshold } from '../../../lib/analysis';

describe('ScalarThreshold', () => {
  test.each<[ScalarThreshold, string]>([
    [ScalarThreshold.atLeast(0.95), 'result.successRate >= 0.95'],
    [ScalarThreshold.atMost(0.01), 'result.successRate <= 0.01'],
    [ScalarThreshold.above(0), 'result.successRate > 0'],
    [ScalarThreshold.below(10), 'result.successRate < 10'],
  ])('GIVEN %p WHEN compared with a subject THEN it renders the plain comparison of the upstream examples', (threshold, rendered) => {
    expect(threshold.compare('result.successRate')).toBe(rendered);
    expect(threshold.describe()).toBe(rendered.replace('result.successRate ', ''));
    expect(threshold.problems('threshold')).toEqual([]);
  });

  test('GIVEN a NaN bound WHEN checked THEN it is refused', () => {
    expect(ScalarThreshold.atLeast(NaN).problems('threshold')).toEqual([['threshold', NaN, 'must be a finite number', 'compare with a finite bound']]);
  });
});
