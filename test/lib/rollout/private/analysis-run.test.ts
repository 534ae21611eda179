import { Chart, Testing } from 'cdk8s';
import { AnalysisTemplate, ClusterAnalysisTemplate, MetricMatch, PrometheusMetric, PrometheusMetricProps, Threshold } from '../../../../lib/analysis';
import { ArgValue } from '../../../../lib/rollout';
import { analysisRunProblems, canFailRun, toAnalysis } from '../../../../lib/rollout/private/analysis-run';

const STEP = { mustEnd: true };
const metric = (name = 'm', props: Partial<PrometheusMetricProps> = {}) => new PrometheusMetric({ name, address: 'http://p:9090', query: 'up', threshold: Threshold.atLeast(1), ...props });

describe('analysisRunProblems', () => {
  const app = Testing.app();
  const here = new Chart(app, 'here', { namespace: 'shop' });
  const elsewhere = new Chart(app, 'elsewhere', { namespace: 'other' });
  const local = new AnalysisTemplate(here, 'Local', { metadata: { name: 'local' }, metrics: [metric()] });
  const foreign = new AnalysisTemplate(elsewhere, 'Foreign', { metadata: { name: 'foreign' }, metrics: [metric()] });
  const shared = new ClusterAnalysisTemplate(elsewhere, 'Shared', { metadata: { name: 'shared' }, metrics: [metric('platform')] });

  test('GIVEN a template of the same namespace and a cluster template WHEN checked THEN both are found, and the cluster one renders clusterScope', () => {
    const run = { templates: [local, shared] };
    expect(analysisRunProblems(here, 'analysis', run, STEP)).toEqual([]);
    expect(toAnalysis(run).templates).toEqual([{ templateName: 'local' }, { templateName: 'shared', clusterScope: true }]);
  });

  test('GIVEN a namespaced template of another namespace WHEN checked THEN the Rollout could never find it', () => {
    expect(analysisRunProblems(here, 'analysis', { templates: [foreign] }, STEP)).toEqual([
      "here: 'analysis.templates' is 'foreign': is an AnalysisTemplate in namespace 'other', but the Rollout runs in 'shop' and finds templates only in its own; create the template in the rollout's chart, or use a ClusterAnalysisTemplate",
    ]);
  });

  test('GIVEN no templates or a field the controller cannot resolve WHEN checked THEN each problem names the field', () => {
    expect(analysisRunProblems(here, 'analysis', { templates: [] }, STEP)).toEqual([
      "here: 'analysis.templates' is []: an analysis needs at least one template; pass the AnalysisTemplate to run",
    ]);
    const withArg = new AnalysisTemplate(here, 'WithArg', { metrics: [metric()], args: [{ name: 'team' }] });
    expect(analysisRunProblems(here, 'analysis', { templates: [withArg], args: { team: ArgValue.fieldRef('metadata.generation') } }, STEP)).toEqual([
      "here: 'analysis.args.team' is 'metadata.generation': is not a field path the controller can resolve; use metadata.name, metadata.namespace, metadata.uid, metadata.labels['KEY'], metadata.annotations['KEY'], or a spec.* or status.* path such as spec.template.metadata.labels.version",
    ]);
  });

  test('GIVEN two templates with the same metric name WHEN checked THEN the merged run would clash', () => {
    const other = new AnalysisTemplate(here, 'Other', { metadata: { name: 'other' }, metrics: [metric()] });
    expect(analysisRunProblems(here, 'analysis', { templates: [local, other] }, STEP)).toEqual([
      "here: 'analysis.templates' is 'm': is a metric name of more than one template, and one analysis run needs unique metric names; rename the metric in one template, or run the templates in separate analyses",
    ]);
  });

  test('GIVEN templates that exist in the cluster WHEN checked THEN their declared args are required, their names checked and their metrics trusted', () => {
    const platform = ClusterAnalysisTemplate.fromName('platform-error-budget', { args: [{ name: 'service' }] });
    const team = AnalysisTemplate.fromName('smoke', { args: [{ name: 'url', value: 'http://api' }] });
    expect(analysisRunProblems(here, 'analysis', { templates: [platform, team], dryRun: [MetricMatch.pattern('anything')] }, STEP)).toEqual([
      "here: 'analysis.args' is 'service': is required by analysis template 'platform-error-budget' but gets no value; pass args: { 'service': ArgValue.of(...) }",
    ]);
    expect(toAnalysis({ templates: [platform, team] }).templates).toEqual([{ templateName: 'platform-error-budget', clusterScope: true }, { templateName: 'smoke' }]);
    expect(canFailRun({ templates: [team] })).toBe(true);
    expect(analysisRunProblems(here, 'analysis', { templates: [AnalysisTemplate.fromName('Smoke_Test')] }, STEP)).toEqual([
      "here: 'analysis.templates' is 'Smoke_Test': is not a valid template name; give the metadata.name of the template in the cluster",
    ]);
  });

  test('GIVEN dry-run, retention and run metadata WHEN rendered THEN they take the fields Argo Rollouts documents for a Rollout\'s analysis', () => {
    const template = new AnalysisTemplate(here, 'Options', { metadata: { name: 'options' }, metrics: [metric('error-rate'), metric('latency-p99'), metric('latency-p50')] });
    const run = {
      templates: [template],
      dryRun: [MetricMatch.pattern('latency-.*')],
      measurementRetention: [{ metrics: MetricMatch.named('error-rate'), limit: 20 }],
      analysisRunMetadata: { labels: { team: 'shop' }, annotations: { dashboard: 'https://grafana/d/shop' } },
    };
    expect(analysisRunProblems(here, 'analysis', run, STEP)).toEqual([]);
    expect(toAnalysis(run)).toEqual({
      templates: [{ templateName: 'options' }],
      dryRun: [{ metricName: 'latency-.*' }],
      measurementRetention: [{ metricName: '^error-rate$', limit: 20 }],
      analysisRunMetadata: { labels: { team: 'shop' }, annotations: { dashboard: 'https://grafana/d/shop' } },
    });
    expect(canFailRun(run)).toBe(true);
    expect(canFailRun({ templates: [template], dryRun: [MetricMatch.pattern('.')] })).toBe(false);
  });

  test('GIVEN rules that match nothing, a bad pattern, a bad limit and an endless metric WHEN checked THEN each is refused', () => {
    const endless = new AnalysisTemplate(here, 'Endless', { metadata: { name: 'endless' }, metrics: [metric('watch', { count: Infinity })] });
    const run = {
      templates: [endless],
      dryRun: [MetricMatch.named('wach'), MetricMatch.pattern('(watch')],
      measurementRetention: [{ metrics: MetricMatch.named('watch'), limit: 0 }],
    };
    expect(analysisRunProblems(here, 'analysis', run, STEP)).toEqual([
      "here: 'analysis.templates' is 'endless/watch': measures without end (count Infinity and no consecutiveSuccessLimit), so the analysis never completes and the rollout waits forever; give the metric a count or a consecutiveSuccessLimit, or run it as background analysis",
      "here: 'analysis.dryRun[0]' is 'wach': matches no metric of the templates, which fails the analysis run; match one of: watch",
      "here: 'analysis.dryRun[1]' is '(watch': is not a regular expression: /(watch/: unterminated group; write a go regular expression, or use MetricMatch.named(...)",
      "here: 'analysis.measurementRetention[0].limit' is 0: must be a positive integer; keep at least 1 measurement, e.g. 20",
    ]);
    // Background analysis may measure without end: the rollout ends it.
    expect(analysisRunProblems(here, 'analysis', { templates: [endless] }, { mustEnd: false })).toEqual([]);
  });
});
