import { Chart, Duration, Testing } from 'cdk8s';
import { MetricProps, PrometheusMetric, Threshold } from '../../../lib/analysis';

const scope = new Chart(Testing.app(), 'test');
const metric = (props: Partial<MetricProps> = {}) => new PrometheusMetric({ name: 'm', address: 'http://p:9090', query: 'up', threshold: Threshold.atLeast(1), ...props });

describe('Metric', () => {
  // Every combination here is one utils/analysis/factory.go ValidateMetric accepts.
  test.each<[string, Partial<MetricProps>, { ends: boolean; canFail: boolean; count?: number }]>([
    ['the defaults', {}, { ends: true, canFail: true, count: 5 }],
    ['an unbounded count', { count: Infinity }, { ends: false, canFail: true, count: undefined }],
    ['failures off with a consecutive success limit', { failureLimit: -1, consecutiveSuccessLimit: 3, count: 10 }, { ends: true, canFail: true, count: 10 }],
    ['failures off, unbounded, until three successes', { failureLimit: -1, consecutiveSuccessLimit: 3, count: Infinity }, { ends: true, canFail: false }],
    ['a failure limit equal to count', { failureLimit: 5, count: 5 }, { ends: true, canFail: false, count: 5 }],
    ['an inconclusive limit equal to count', { inconclusiveLimit: 5, count: 5 }, { ends: true, canFail: true, count: 5 }],
    ['a dry run', { dryRun: true }, { ends: true, canFail: false, count: 5 }],
    ['a consecutive success limit of 0, which is off', { consecutiveSuccessLimit: 0 }, { ends: true, canFail: true, count: 5 }],
  ])('GIVEN %s WHEN checked THEN the controller would accept it, and whether it ends and can fail is known', (_, props, expected) => {
    const m = metric(props);
    expect(m.problems(scope, [])).toEqual([]);
    expect({ ends: m.ends, canFail: m.canFail }).toEqual({ ends: expected.ends, canFail: expected.canFail });
    expect(m._toMetric().count?.value).toBe(expected.count);
  });

  test.each<[string, Partial<MetricProps>, string[]]>([
    ['a zero count', { count: 0 },
      ["test: 'metrics[m].count' is 0: must be a positive integer, or Infinity to measure until the analysis is stopped; set a count such as 5"]],
    ['failures off with a consecutive success limit of 0, which is off too', { failureLimit: -1, consecutiveSuccessLimit: 0 },
      ["test: 'metrics[m].failureLimit' is -1: turns failures off, so a consecutiveSuccessLimit must decide the metric; set consecutiveSuccessLimit, or a failureLimit of 0 or more"]],
    ['failures off without a consecutive success limit', { failureLimit: -1 },
      ["test: 'metrics[m].failureLimit' is -1: turns failures off, so a consecutiveSuccessLimit must decide the metric; set consecutiveSuccessLimit, or a failureLimit of 0 or more"]],
    ['a failure limit below -1', { failureLimit: -2 },
      ["test: 'metrics[m].failureLimit' is -2: must be an integer of at least -1; set 0 to abort on the first failed measurement"]],
    ['failures off and a count below the consecutive success limit', { failureLimit: -1, consecutiveSuccessLimit: 6, count: 5 },
      ["test: 'metrics[m].consecutiveSuccessLimit' is 6: count (5) must be at least failureLimit + consecutiveSuccessLimit (6); raise count to 6 or lower the limits"]],
    ['an inconclusive limit above count', { inconclusiveLimit: 6 },
      ["test: 'metrics[m].inconclusiveLimit' is 6: must not exceed count (5); lower inconclusiveLimit to 5 or less"]],
    ['a fractional initial delay', { initialDelay: Duration.millis(1500) },
      ["test: 'metrics[m].initialDelay' is '1.5s': must be a whole number of seconds of at least 0; set initialDelay with Duration.seconds(n) or Duration.minutes(n)"]],
  ])('GIVEN %s WHEN checked THEN the problem names the metric, field, value and fix', (_, props, messages) => {
    expect(metric(props).problems(scope, [])).toEqual(messages);
  });
});
