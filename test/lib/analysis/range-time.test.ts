import { Duration } from 'cdk8s';
import { RangeTime } from '../../../lib/analysis';

describe('RangeTime', () => {
  test('GIVEN fixed times ago WHEN rendered THEN they are the expr-lang time expressions the controller evaluates', () => {
    expect(RangeTime.ago(Duration.seconds(0)).render()).toBe('now()');
    expect(RangeTime.ago(Duration.minutes(10)).render()).toBe('now() - duration("10m")');
    expect(RangeTime.ago(Duration.minutes(10)).secondsAgo).toBe(600);
  });

  test('GIVEN the expression of the upstream range query docs WHEN checked THEN it is kept as written, with its arg', () => {
    // argo-rollouts v1.9.1 docs/analysis/prometheus.md: start: 'now() - duration("{{args.lookback-duration}}")'
    const start = RangeTime.expression('now() - duration("{{args.lookback-duration}}")');
    expect(start.render()).toBe('now() - duration("{{args.lookback-duration}}")');
    expect(start.referencedArgs).toEqual(['lookback-duration']);
    expect(start.secondsAgo).toBeUndefined();
    expect(start.problem()).toBeUndefined();
  });

  test('GIVEN an expression that does not parse WHEN checked THEN the problem says why', () => {
    expect(RangeTime.expression('now() -').problem()).toBe('is not an expr-lang time expression: ends too early');
  });
});
