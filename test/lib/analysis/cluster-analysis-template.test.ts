import { Chart, Testing } from 'cdk8s';
import { ClusterAnalysisTemplate, MetricSource, successRateMetric } from '../../../lib/analysis';
import { validationProblems } from '../../../lib/errors';

describe('ClusterAnalysisTemplate', () => {
  test('GIVEN a preset WHEN synthesized THEN it is the cluster-scoped kind with the same spec, and Rollouts refer to it with clusterScope', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    const template = new ClusterAnalysisTemplate(chart, 'T', {
      metadata: { name: 'platform-success-rate' },
      metrics: [successRateMetric(MetricSource.APP, { address: 'http://p:9090', minSuccessRate: 0.99 })],
      args: MetricSource.APP.args,
    });
    const [json] = Testing.synth(chart);
    expect(validationProblems(app)).toEqual([]);
    expect(json.kind).toBe('ClusterAnalysisTemplate');
    expect(json.metadata.namespace).toBeUndefined();
    expect(json.spec.metrics[0].name).toBe('success-rate');
    expect(template.clusterScoped).toBe(true);
  });

  test('GIVEN invalid PromQL WHEN validated THEN the same checks as a namespaced template apply', () => {
    const app = Testing.app();
    new ClusterAnalysisTemplate(new Chart(app, 'test'), 'T', {
      metrics: [successRateMetric(MetricSource.APP, { address: 'http://p:9090', minSuccessRate: 0.99 })],
    });
    expect(validationProblems(app)).toEqual([
      "test/T: 'metrics[success-rate].query' is '{{args.namespace}}': refers to an arg the template does not declare; declare 'namespace' in the template's args or fix the name",
      "test/T: 'metrics[success-rate].query' is '{{args.canary-hash}}': refers to an arg the template does not declare; declare 'canary-hash' in the template's args or fix the name",
    ]);
  });

  test('GIVEN a platform-wide template WHEN referred to by name THEN it is cluster-scoped and its args are declared for the checks', () => {
    const template = ClusterAnalysisTemplate.fromName('platform-error-budget', { args: [{ name: 'service-name' }] });
    expect(template).toMatchObject({ name: 'platform-error-budget', clusterScoped: true, metrics: undefined, requiredArgs: ['service-name'] });
  });
});
