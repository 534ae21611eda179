import { Chart, Testing } from 'cdk8s';
import { AnalysisTemplate, MetricSource, PrometheusMetric, successRateMetric, Threshold } from '../../../lib/analysis';
import { validationProblems } from '../../../lib/errors';
import { problemsAfter } from '../../helpers';

const ADDRESS = 'http://prometheus:9090';

function metric(overrides: Partial<ConstructorParameters<typeof PrometheusMetric>[0]> = {}): PrometheusMetric {
  return new PrometheusMetric({ name: 'm', address: ADDRESS, query: 'sum(up)', threshold: Threshold.atLeast(1), ...overrides });
}

describe('AnalysisTemplate', () => {
  test('GIVEN the app success-rate preset WHEN synthesized THEN the query is scoped to canary pods and guarded', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    const successRate = successRateMetric(MetricSource.APP, { address: ADDRESS, minSuccessRate: 0.99 });
    new AnalysisTemplate(chart, 'SuccessRate', { metadata: { name: 'api-success-rate' }, metrics: [successRate], args: MetricSource.APP.args });

    const [template] = Testing.synth(chart);
    expect(validationProblems(app)).toEqual([]);
    const [m] = template.spec.metrics;
    expect(m.provider.prometheus.query).toContain('rollouts_pod_template_hash="{{args.canary-hash}}"');
    expect(m.provider.prometheus.query).toContain('or vector(0)');
    expect(m.provider.prometheus.query).toContain('[1m]');
    expect(m.interval).toBe('1m');
    expect(m.count).toBe(5);
    expect(m.successCondition).not.toMatch(/result\s*\[/);
    expect(template.spec.args).toEqual([{ name: 'canary-hash' }, { name: 'namespace' }]);
    expect(template).toMatchSnapshot();
  });

  test.each([
    ['invalid promql', [metric({ query: 'sum(rate(x[1m])' })], "test/T: 'metrics[m].query' is 'sum(rate(x[1m])': is not valid promql: syntax error at character"],
    ['an undeclared arg', [metric({ query: 'up{pod="{{args.pod}}"}' })], "test/T: 'metrics[m].query' is '{{args.pod}}': refers to an arg the template does not declare; declare 'pod' in the template's args or fix the name"],
    ['a zero count', [metric({ count: 0 })], "test/T: 'metrics[m].count' is 0: must be a positive integer, or Infinity to measure until the analysis is stopped; set a count such as 5"],
    ['a failure limit of -1 alone', [metric({ failureLimit: -1 })], "test/T: 'metrics[m].failureLimit' is -1: turns failures off, so a consecutiveSuccessLimit must decide the metric; set consecutiveSuccessLimit, or a failureLimit of 0 or more"],
    ['a negative error limit', [metric({ consecutiveErrorLimit: -1 })], "test/T: 'metrics[m].consecutiveErrorLimit' is -1: must be an integer of at least 0"],
  ])('GIVEN %s WHEN validated THEN the problem names path, field, value and fix', (_, metrics, message) => {
    const app = Testing.app();
    new AnalysisTemplate(new Chart(app, 'test'), 'T', { metrics });
    expect(validationProblems(app)).toEqual([expect.stringContaining(message)]);
  });

  test('GIVEN duplicate metric names or no metrics WHEN constructed THEN it throws', () => {
    const chart = new Chart(Testing.app(), 'test');
    expect(problemsAfter(chart, () => new AnalysisTemplate(chart, 'Dup', { metrics: [metric(), metric()] }))).toContain("test/Dup: 'metrics[].name' is 'm': metric names must be unique within a template; rename one of the metrics");
    expect(problemsAfter(chart, () => new AnalysisTemplate(chart, 'None', { metrics: [] }))).toContain("test/None: 'metrics' is []: an analysis template needs at least one metric; add a PrometheusMetric (e.g. from a preset in lib/analysis/presets.ts), a WebMetric or a JobMetric");
  });

  test('GIVEN a template that exists in the cluster WHEN referred to by name THEN it is namespaced, its declared args are required and its metrics unknown', () => {
    const template = AnalysisTemplate.fromName('platform-smoke', { args: [{ name: 'service' }, { name: 'env', value: 'prod' }] });
    expect(template).toMatchObject({ name: 'platform-smoke', clusterScoped: false, metrics: undefined, requiredArgs: ['service'] });
  });
});
