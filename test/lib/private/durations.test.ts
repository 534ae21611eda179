import { Chart, Duration, Testing } from 'cdk8s';
import { goDuration, parseDurationSeconds, seconds, wholeSecondsProblems } from '../../../lib/private/durations';

describe('durations', () => {
  test('GIVEN durations WHEN written as Go durations THEN the largest whole unit is used, never days', () => {
    expect(goDuration(Duration.seconds(30))).toBe('30s');
    expect(goDuration(Duration.minutes(5))).toBe('5m');
    expect(goDuration(Duration.days(1))).toBe('24h');
    expect(goDuration(Duration.seconds(0))).toBe('0s');
    expect(goDuration(Duration.millis(1500))).toBe('1500ms');
  });

  test('GIVEN a fractional duration WHEN converted THEN seconds does not throw', () => {
    expect(seconds(Duration.millis(1500))).toBe(1.5);
  });

  test('GIVEN durations the controller takes in seconds WHEN checked THEN fractions and values below the minimum are reported', () => {
    const scope = new Chart(Testing.app(), 'test');
    expect(wholeSecondsProblems(scope, 'delay', Duration.seconds(5), 1)).toEqual([]);
    expect(wholeSecondsProblems(scope, 'delay', undefined)).toEqual([]);
    expect(wholeSecondsProblems(scope, 'steps[0].delay', Duration.seconds(0), 1)).toEqual([
      "test: 'steps[0].delay' is '0s': must be a whole number of seconds of at least 1; set delay with Duration.seconds(n) or Duration.minutes(n)",
    ]);
  });

  describe('parseDurationSeconds', () => {
    test.each([['1h30m', 5400], ['90s', 90], ['500ms', 0.5], [45, 45], ['45', 45]])('GIVEN %s WHEN parsed THEN it is %d seconds', (text, expected) => {
      expect(parseDurationSeconds(text)).toBe(expected);
    });

    test('GIVEN something else WHEN parsed THEN it throws', () => {
      expect(() => parseDurationSeconds('5 minutes')).toThrow("'5 minutes' is not a duration");
    });
  });
});
