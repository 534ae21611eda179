import { MetricMatch } from '../../../lib/analysis';

describe('MetricMatch', () => {
  test('GIVEN a name WHEN matched as the controller does (unanchored) THEN only that metric matches', () => {
    const named = MetricMatch.named('latency.p99');
    expect(named.regex).toBe('^latency\\.p99$');
    expect(['latency.p99', 'latency-p99', 'latency.p99-old'].filter(n => named.matches(n))).toEqual(['latency.p99']);
  });

  test('GIVEN a pattern WHEN matched THEN it matches anywhere in the name, as the controller does', () => {
    const pattern = MetricMatch.pattern('latency');
    expect(['latency-p99', 'p50-latency', 'success-rate'].filter(n => pattern.matches(n))).toEqual(['latency-p99', 'p50-latency']);
    expect(pattern.problem()).toBeUndefined();
  });

  test.each([
    ['an unclosed group', '(latency', 'is not a regular expression: /(latency/: unterminated group'],
    ['a lookahead', 'latency(?!-old)', 'uses lookaround or a backreference, which go regular expressions do not support'],
  ])('GIVEN %s WHEN checked THEN the controller could not compile it and says so', (_, regex, problem) => {
    expect(MetricMatch.pattern(regex).problem()).toBe(problem);
  });
});
