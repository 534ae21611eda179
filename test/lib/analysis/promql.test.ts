import { longestRangeSeconds, promqlSyntaxError, referencedArgs } from '../../../lib/analysis';

describe('promql', () => {
  test('GIVEN a query with arg placeholders in labels and ranges WHEN parsed THEN it is valid', () => {
    expect(promqlSyntaxError('sum(rate(http_requests_total{pod_hash="{{args.canary-hash}}"}[{{args.window}}]))')).toBeUndefined();
  });

  test.each([
    ['an unclosed call', 'sum(rate(x[1m])', 'syntax error at character'],
    ['a dangling operator', 'sum(x) /', 'syntax error at character'],
    ['an empty query', '  ', 'the query is empty'],
  ])('GIVEN %s WHEN parsed THEN the error is described', (_, query, message) => {
    expect(promqlSyntaxError(query)).toContain(message);
  });

  test('GIVEN a query WHEN its args are listed THEN each appears once in order', () => {
    expect(referencedArgs('{{args.a}} {{ args.b }} {{args.a}}')).toEqual(['a', 'b']);
  });

  test('GIVEN queries WHEN their window is read THEN the longest range counts, subqueries included', () => {
    expect(longestRangeSeconds('sum(rate(a[1m])) / sum(rate(b[5m]))')).toBe(300);
    expect(longestRangeSeconds('max_over_time(rate(a[30s])[10m:1m])')).toBe(600);
    expect(longestRangeSeconds('up')).toBe(0);
    // A duration inside a label value is no range; an arg placeholder in a label parses as a value.
    expect(longestRangeSeconds('rate(a{window="[5m]",pod="{{args.hash}}"}[2m])')).toBe(120);
  });
});
