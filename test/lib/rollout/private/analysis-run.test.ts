import { Chart, Testing } from 'cdk8s';
import { AnalysisTemplate, ClusterAnalysisTemplate, PrometheusMetric, Threshold } from '../../../../lib/analysis';
import { ArgValue } from '../../../../lib/rollout';
import { analysisRunProblems, toAnalysis } from '../../../../lib/rollout/private/analysis-run';

const metric = (name = 'm') => new PrometheusMetric({ name, address: 'http://p:9090', query: 'up', threshold: Threshold.atLeast(1) });

describe('analysisRunProblems', () => {
  const app = Testing.app();
  const here = new Chart(app, 'here', { namespace: 'shop' });
  const elsewhere = new Chart(app, 'elsewhere', { namespace: 'other' });
  const local = new AnalysisTemplate(here, 'Local', { metadata: { name: 'local' }, metrics: [metric()] });
  const foreign = new AnalysisTemplate(elsewhere, 'Foreign', { metadata: { name: 'foreign' }, metrics: [metric()] });
  const shared = new ClusterAnalysisTemplate(elsewhere, 'Shared', { metadata: { name: 'shared' }, metrics: [metric('platform')] });

  test('GIVEN a template of the same namespace and a cluster template WHEN checked THEN both are found, and the cluster one renders clusterScope', () => {
    const run = { templates: [local, shared] };
    expect(analysisRunProblems(here, 'analysis', run)).toEqual([]);
    expect(toAnalysis(run).templates).toEqual([{ templateName: 'local' }, { templateName: 'shared', clusterScope: true }]);
  });

  test('GIVEN a namespaced template of another namespace WHEN checked THEN the Rollout could never find it', () => {
    expect(analysisRunProblems(here, 'analysis', { templates: [foreign] })).toEqual([
      "here: 'analysis.templates' is 'foreign': is an AnalysisTemplate in namespace 'other', but the Rollout runs in 'shop' and finds templates only in its own; create the template in the rollout's chart, or use a ClusterAnalysisTemplate",
    ]);
  });

  test('GIVEN no templates or a field the controller cannot resolve WHEN checked THEN each problem names the field', () => {
    expect(analysisRunProblems(here, 'analysis', { templates: [] })).toEqual([
      "here: 'analysis.templates' is []: an analysis needs at least one template; pass the AnalysisTemplate to run",
    ]);
    const withArg = new AnalysisTemplate(here, 'WithArg', { metrics: [metric()], args: [{ name: 'team' }] });
    expect(analysisRunProblems(here, 'analysis', { templates: [withArg], args: { team: ArgValue.fieldRef('spec.replicas') } })).toEqual([
      "here: 'analysis.args.team' is 'spec.replicas': is not a metadata field the controller can resolve; use metadata.name, metadata.namespace, metadata.uid, metadata.labels['KEY'] or metadata.annotations['KEY']",
    ]);
  });

  test('GIVEN two templates with the same metric name WHEN checked THEN the merged run would clash', () => {
    const other = new AnalysisTemplate(here, 'Other', { metadata: { name: 'other' }, metrics: [metric()] });
    expect(analysisRunProblems(here, 'analysis', { templates: [local, other] })).toEqual([
      "here: 'analysis.templates' is 'm': is a metric name of more than one template, and one analysis run needs unique metric names; rename the metric in one template, or run the templates in separate analyses",
    ]);
  });
});
