import { Chart, Testing } from 'cdk8s';
import { Application, Cluster } from '../../../lib/argocd';
import { problemsAfter } from '../../helpers';

const props = {
  metadata: { name: 'web-staging', namespace: 'argocd' },
  project: 'shop-staging',
  repoUrl: 'https://forgejo.example.com/platform/infra.git',
  targetRevision: 'main',
  path: 'dist/staging/web',
  cluster: Cluster.server('https://10.0.0.1:6443'),
  namespace: 'shop-staging',
};

describe('Application', () => {
  test('GIVEN a router that mutates weights WHEN ignored THEN the fields are ignored and only out-of-sync objects are applied', () => {
    const chart = new Chart(Testing.app(), 'test');
    new Application(chart, 'App', {
      ...props,
      ignoreDifferences: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', jsonPointers: ['/spec/rules/0/backendRefs'] }],
    });
    const [application] = Testing.synth(chart);
    expect(application.spec.ignoreDifferences).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', jsonPointers: ['/spec/rules/0/backendRefs'] }]);
    expect(application.spec.syncPolicy.syncOptions).toEqual(['CreateNamespace=true', 'ServerSideApply=true', 'PruneLast=true', 'RespectIgnoreDifferences=true', 'ApplyOutOfSyncOnly=true']);
    expect(application.spec.destination).toEqual({ server: 'https://10.0.0.1:6443', namespace: 'shop-staging' });
  });

  test.each([
    ['an absolute path', '/dist/staging/web'],
    ['a path leaving the repository', 'dist/../../etc'],
  ])('GIVEN %s WHEN constructed THEN it fails with the fix', (_, path) => {
    const chart = new Chart(Testing.app(), 'test');
    expect(problemsAfter(chart, () => new Application(chart, 'App', { ...props, path }))).toContain(`test/App: 'path' is '${path}': must be relative to the repository root and stay inside it; write it like 'dist/staging/api'`);
  });
});
