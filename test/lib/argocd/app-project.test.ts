import { Chart, Testing } from 'cdk8s';
import { AppProject, Cluster } from '../../../lib/argocd';
import { problemsAfter } from '../../helpers';

const props = {
  metadata: { name: 'shop-staging', namespace: 'argocd' },
  description: 'shop services in staging',
  sourceRepo: 'https://forgejo.example.com/platform/infra.git',
  destinations: [{ cluster: Cluster.inCluster(), namespace: 'shop-staging' }],
};

describe('AppProject', () => {
  test('GIVEN namespaced kinds WHEN synthesized THEN only those are whitelisted, and without them Argo CD\'s default of all stays', () => {
    const chart = new Chart(Testing.app(), 'test');
    new AppProject(chart, 'Narrow', { ...props, namespacedKinds: [{ group: '', kind: 'Service' }, { group: 'argoproj.io', kind: 'Rollout' }] });
    new AppProject(chart, 'Wide', { ...props, metadata: { name: 'wide', namespace: 'argocd' } });
    const [narrow, wide] = Testing.synth(chart);
    expect(narrow.spec.namespaceResourceWhitelist).toEqual([{ group: '', kind: 'Service' }, { group: 'argoproj.io', kind: 'Rollout' }]);
    expect(wide.spec.namespaceResourceWhitelist).toBeUndefined();
  });

  test('GIVEN no namespace creation WHEN synthesized THEN every cluster-scoped kind is denied', () => {
    const chart = new Chart(Testing.app(), 'test');
    new AppProject(chart, 'Project', { ...props, allowNamespaceCreation: false });
    expect(Testing.synth(chart)[0].spec.clusterResourceWhitelist).toEqual([]);
  });

  test.each([
    ['a wildcard namespace', { destinations: [{ cluster: Cluster.inCluster(), namespace: '*' }] }, "test/Project: 'sourceRepo/destinations' is '*': wildcards would let applications escape the project; name the exact repository and namespaces"],
    ['a wildcard repo', { sourceRepo: '*' }, "test/Project: 'sourceRepo/destinations' is '*': wildcards would let applications escape the project; name the exact repository and namespaces"],
    ['no destinations', { destinations: [] }, "test/Project: 'destinations' is []: a project needs at least one destination; list the clusters and namespaces its applications deploy to"],
  ])('GIVEN %s WHEN constructed THEN it fails naming the field', (_, change, message) => {
    const chart = new Chart(Testing.app(), 'test');
    expect(problemsAfter(chart, () => new AppProject(chart, 'Project', { ...props, ...change }))).toContain(message);
  });
});
