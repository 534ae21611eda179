import { Chart, Testing } from 'cdk8s';
import { AnalysisTemplate, ConditionExpression, PrometheusMetric, REVIEWED_CONDITIONS_ANNOTATION, Threshold, WebMetric } from '../../../lib/analysis';

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
    // The controller matches metricName as an unanchored regex, so each name is anchored to itself alone.
    expect(json.spec.dryRun).toEqual([{ metricName: '^new$' }]);
    expect(json.spec.measurementRetention).toEqual([{ metricName: '^old$', limit: 20 }]);
    expect(json.spec.args).toEqual([{ name: 'token', valueFrom: { secretKeyRef: { name: 'prometheus', key: 'token' } } }, { name: 'env', value: 'prod' }, { name: 'hash' }]);
    expect(template.requiredArgs).toEqual(['hash']);
    expect(template.clusterScoped).toBe(false);
    expect(json.metadata.annotations).toBeUndefined();
  });

  test('GIVEN metrics with hand-written conditions WHEN synthesized THEN each reason is recorded on the template for reviewers', () => {
    const chart = new Chart(Testing.app(), 'test');
    new AnalysisTemplate(chart, 'T', {
      metadata: { name: 't' },
      metrics: [
        new PrometheusMetric({ name: 'ratio', address: 'http://p:9090', query: 'up', threshold: ConditionExpression.of({ success: 'all(result, {# > 0}) && len(result) >= 2', reason: 'needs two replicas reporting' }) }),
        new WebMetric({ name: 'status', url: 'https://status.shop/api', condition: ConditionExpression.of({ failure: 'result.state in ["down", "degraded"]', reason: 'status page states' }) }),
        new PrometheusMetric({ name: 'typed', address: 'http://p:9090', query: 'up', threshold: Threshold.atLeast(1) }),
      ],
    });
    const [json] = Testing.synth(chart);
    expect(JSON.parse(json.metadata.annotations[REVIEWED_CONDITIONS_ANNOTATION])).toEqual({ ratio: 'needs two replicas reporting', status: 'status page states' });
    expect(json.spec.metrics.map((m: { successCondition?: string; failureCondition?: string }) => [m.successCondition, m.failureCondition])).toEqual([
      ['all(result, {# > 0}) && len(result) >= 2', undefined],
      [undefined, 'result.state in ["down", "degraded"]'],
      ['len(result) > 0 && all(result, {(!isNaN(#) && !isInf(#) && # >= 1)})', undefined],
    ]);
  });
});
