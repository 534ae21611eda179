import { Chart, Testing } from 'cdk8s';
import { AnalysisTemplate, PrometheusMetric, Threshold } from '../../../lib/analysis';

describe('AnalysisTemplateBase', () => {
  test('GIVEN dry-run and retention metrics and a Secret arg WHEN synthesized THEN they render at template level and the Secret stays a reference', () => {
    const chart = new Chart(Testing.app(), 'test');
    const metric = (name: string, extra: object) => new PrometheusMetric({ name, address: 'http://p:9090', query: 'up', threshold: Threshold.atLeast(1), headers: { Authorization: 'Bearer {{args.token}}' }, ...extra });
    const template = new AnalysisTemplate(chart, 'T', {
      metadata: { name: 't' },
      metrics: [metric('new', { dryRun: true }), metric('old', { measurementRetention: 20 })],
      args: [{ name: 'token', secretKeyRef: { name: 'prometheus', key: 'token' } }, { name: 'env', value: 'prod' }, { name: 'hash' }],
    });
    const [json] = Testing.synth(chart);
    expect(json.spec.dryRun).toEqual([{ metricName: 'new' }]);
    expect(json.spec.measurementRetention).toEqual([{ metricName: 'old', limit: 20 }]);
    expect(json.spec.args).toEqual([{ name: 'token', valueFrom: { secretKeyRef: { name: 'prometheus', key: 'token' } } }, { name: 'env', value: 'prod' }, { name: 'hash' }]);
    expect(template.requiredArgs).toEqual(['hash']);
    expect(template.clusterScoped).toBe(false);
  });
});
