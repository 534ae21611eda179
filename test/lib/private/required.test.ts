import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as a from '../../../lib/analysis';
import { ConfigError } from '../../../lib/errors';
import { requireFields } from '../../../lib/private/required';
import * as r from '../../../lib/rollout';

describe('requireFields', () => {
  test('GIVEN props missing required fields WHEN checked THEN one ConfigError names each field in the Problem shape', () => {
    expect(() => requireFields<{ a?: number; b?: string }>('here', {}, ['a', 'b'])).toThrow(new ConfigError([
      { at: 'here', field: 'a', value: undefined, rule: 'is required', fix: 'pass a; the types require it' },
      { at: 'here', field: 'b', value: undefined, rule: 'is required', fix: 'pass b; the types require it' },
    ]));
    expect(() => requireFields<{ a?: number }>('here', { a: 0 }, ['a'])).not.toThrow();
  });

  // Each public constructor, given props with a required field cast away, reports it instead of a TypeError.
  test.each<[string, (c: Chart) => unknown, string]>([
    ['a Prometheus metric without a threshold', () => new a.PrometheusMetric({ name: 'm', address: 'http://p', query: 'up' } as unknown as a.PrometheusMetricProps),
      "metric 'm': 'threshold' is unset: is required; pass threshold; the types require it"],
    ['a Web metric without a url', () => new a.WebMetric({ name: 'm', condition: a.WebCondition.equals(true) } as unknown as a.WebMetricProps),
      "metric 'm': 'url' is unset: is required; pass url; the types require it"],
    ['a Job metric without a pod template', () => new a.JobMetric({ name: 'm', spec: {} } as unknown as a.JobMetricProps),
      "metric 'm'.spec: 'template' is unset: is required; pass template; the types require it"],
    ['a Datadog metric without a threshold', () => new a.DatadogMetric({ name: 'm', query: 'q' } as unknown as a.DatadogMetricProps),
      "metric 'm': 'threshold' is unset: is required; pass threshold; the types require it"],
    ['a New Relic metric without a condition', () => new a.NewRelicMetric({ name: 'm', query: 'q' } as unknown as a.NewRelicMetricProps),
      "metric 'm': 'condition' is unset: is required; pass condition; the types require it"],
    ['a CloudWatch metric without queries', () => new a.CloudWatchMetric({ name: 'm', condition: a.ConditionExpression.of({ success: 'true', reason: 'r' }) } as unknown as a.CloudWatchMetricProps),
      "metric 'm': 'metricDataQueries' is unset: is required; pass metricDataQueries; the types require it"],
    ['a template without metrics', c => new a.AnalysisTemplate(c, 'T', {} as unknown as a.AnalysisTemplateProps),
      "test/T: 'metrics' is unset: is required; pass metrics; the types require it"],
    ['a canary without steps', () => r.RolloutStrategy.canary({} as unknown as r.CanaryStrategyProps),
      "canary strategy: 'steps' is unset: is required; pass steps; the types require it"],
    ['a Rollout without a strategy', c => new r.Rollout(c, 'R', { metadata: { name: 'x' } } as unknown as r.RolloutProps),
      "test/R: 'strategy' is unset: is required; pass strategy; the types require it"],
    ['a VirtualService without hosts', c => new r.VirtualService(c, 'V', {} as unknown as r.VirtualServiceProps),
      "test/V: 'hosts' is unset: is required; pass hosts; the types require it"],
    ['an HTTPRoute without a gateway', c => new r.HttpRoute(c, 'H', { port: 80 } as unknown as r.HttpRouteProps),
      "test/H: 'gateway' is unset: is required; pass gateway; the types require it\n  - test/H: 'stableService' is unset: is required; pass stableService; the types require it\n  - test/H: 'canaryService' is unset: is required; pass canaryService; the types require it"],
    ['an analysis step without templates', () => r.CanaryStep.analysis({} as unknown as r.AnalysisRunProps),
      "analysis step: 'templates' is unset: is required; pass templates; the types require it"],
    ['an Experiment without templates', c => new r.Experiment(c, 'E', {} as unknown as r.ExperimentProps),
      "test/E: 'templates' is unset: is required; pass templates; the types require it"],
    ['a DestinationRule without a service', c => new r.DestinationRule(c, 'D', {} as unknown as r.DestinationRuleProps),
      "test/D: 'service' is unset: is required; pass service; the types require it"],
    ['an Istio Gateway without servers', c => new r.IstioGateway(c, 'G', {} as unknown as r.IstioGatewayProps),
      "test/G: 'servers' is unset: is required; pass servers; the types require it"],
    ['an nginx router without an ingress', () => r.TrafficRouter.nginx(undefined as unknown as kplus.Ingress),
      "nginx router: 'stableIngress' is unset: is required; pass stableIngress; the types require it"],
    ['hand-written conditions without a reason', () => a.ConditionExpression.of({ success: 'true' } as unknown as a.ConditionExpressionProps),
      "condition expression: 'reason' is unset: is required; pass reason; the types require it"],
  ])('GIVEN %s WHEN constructed THEN the problem is reported, not a TypeError', (_, build, message) => {
    const chart = new Chart(Testing.app(), 'test');
    const error = (() => {
      try {
        build(chart);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain(message);
  });
});
