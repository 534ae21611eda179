import { App, Testing } from 'cdk8s';
import { ArgoCdChart } from '../../charts/argocd-chart';
import { NotificationsChart } from '../../charts/notifications-chart';
import { ServiceChart } from '../../charts/service-chart';
import { loadPins } from '../../delivery/pins';
import { fleet } from '../fixtures/fleet';
import { FIXTURE_ROOT } from '../helpers';

describe('ArgoCdChart', () => {
  const app = new App();
  const services = fleet.deployments(loadPins(fleet, FIXTURE_ROOT))
    .map(deployment => new ServiceChart(app, `${deployment.environment.name}-${deployment.service.name}`, { fleet, deployment }));
  const chart = new ArgoCdChart(app, 'argocd', { fleet, services });
  const objects = Testing.synth(chart);
  const named = (name: string) => objects.find(o => o.metadata.name === name);

  test('GIVEN the example fleet WHEN synthesized THEN each environment has a project, its applications and a root app', () => {
    expect(objects.map(o => `${o.kind}/${o.metadata.name}`)).toEqual([
      'AppProject/shop-staging', 'Application/api-staging', 'Application/web-staging', 'AppProject/shop-staging-root', 'Application/shop-staging-root',
      'AppProject/shop-production', 'Application/api-production', 'Application/web-production', 'AppProject/shop-production-root', 'Application/shop-production-root',
    ]);
    expect(objects).toMatchSnapshot();
  });

  test('GIVEN a service Application WHEN read THEN it syncs its own folder automatically and safely', () => {
    const application = named('api-staging');
    expect(application.spec.source).toEqual({ repoURL: fleet.repoUrl, targetRevision: 'main', path: 'dist/staging/api', directory: { recurse: false } });
    expect(application.spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'shop-staging' });
    expect(application.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true, allowEmpty: false });
    expect(application.spec.syncPolicy.retry).toEqual({ limit: 5, backoff: { duration: '5s', factor: 2, maxDuration: '3m' } });
    expect(application.spec.syncPolicy.syncOptions).toEqual(['CreateNamespace=true', 'ServerSideApply=true', 'PruneLast=true']);
    expect(application.metadata.finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
    expect(application.metadata.annotations['argocd.argoproj.io/manifest-generate-paths']).toBe('.');
  });

  test('GIVEN an AppProject WHEN read THEN it grants exactly one repo and one destination, and no cluster-scoped kind but Namespace', () => {
    const project = named('shop-production');
    expect(project.spec.sourceRepos).toEqual([fleet.repoUrl]);
    expect(project.spec.destinations).toEqual([{ name: 'production', namespace: 'shop' }]);
    expect(project.spec.clusterResourceWhitelist).toEqual([{ group: '', kind: 'Namespace' }]);
    // Exactly the namespaced kinds production's services are made of: no Secret, no Role.
    expect(project.spec.namespaceResourceWhitelist.map((k: { group: string; kind: string }) => `${k.group}/${k.kind}`)).toEqual([
      '/ConfigMap', '/Service', 'argoproj.io/AnalysisTemplate', 'argoproj.io/Rollout', 'autoscaling/HorizontalPodAutoscaler',
      'gateway.networking.k8s.io/HTTPRoute', 'monitoring.coreos.com/PodMonitor', 'networking.istio.io/VirtualService', 'policy/PodDisruptionBudget',
    ]);
    expect(project.spec.orphanedResources).toEqual({ warn: true });
    expect(JSON.stringify(project.spec)).not.toContain('*');
  });

  test('GIVEN the root app WHEN read THEN it syncs the environment apps folder from a project of its own, limited to Argo CD\'s objects', () => {
    const root = objects.find(o => o.kind === 'Application' && o.metadata.name === 'shop-staging-root');
    const project = objects.find(o => o.kind === 'AppProject' && o.metadata.name === 'shop-staging-root');
    expect(root.spec.project).toBe('shop-staging-root');
    expect(project.spec).toEqual({
      description: 'the root app of shop in staging: its Applications and AppProject',
      sourceRepos: [fleet.repoUrl],
      destinations: [{ server: 'https://kubernetes.default.svc', namespace: 'argocd' }],
      clusterResourceWhitelist: [],
      namespaceResourceWhitelist: [{ group: 'argoproj.io', kind: 'AppProject' }, { group: 'argoproj.io', kind: 'Application' }],
      orphanedResources: { warn: true },
    });
    expect(root.spec.source.path).toBe('dist/argocd/staging/apps');
    expect(root.spec.syncPolicy.syncOptions).not.toContain('CreateNamespace=true');
  });

  test('GIVEN services behind routers WHEN read THEN their Applications ignore the weights the controller writes, and only theirs', () => {
    expect(named('api-production').spec.ignoreDifferences).toEqual([
      { group: 'networking.istio.io', kind: 'VirtualService', name: 'api', jsonPointers: ['/spec/http/0/route/0/weight', '/spec/http/0/route/1/weight'] },
    ]);
    expect(named('api-production').spec.syncPolicy.syncOptions).toEqual(expect.arrayContaining(['RespectIgnoreDifferences=true', 'ApplyOutOfSyncOnly=true']));
    expect(named('web-staging').spec.ignoreDifferences[0]).toMatchObject({ kind: 'HTTPRoute', name: 'web' });
    expect(named('api-staging').spec.ignoreDifferences).toBeUndefined();
  });
});

describe('ArgoCdChart with notifications', () => {
  test('GIVEN an environment\'s notifications chart WHEN synthesized THEN its own Application syncs the notifications folder into the environment\'s namespace, in its project', () => {
    const app = new App();
    const services = fleet.deployments(loadPins(fleet, FIXTURE_ROOT))
      .map(deployment => new ServiceChart(app, `${deployment.environment.name}-${deployment.service.name}`, { fleet, deployment }));
    const notifications = [new NotificationsChart(app, 'staging-notifications', { fleet, environment: fleet.environment('staging') })];
    const objects = Testing.synth(new ArgoCdChart(app, 'argocd', { fleet, services, notifications }));
    const application = objects.find(o => o.metadata.name === 'shop-staging-notifications');
    expect(application.spec.source).toEqual({ repoURL: fleet.repoUrl, targetRevision: 'main', path: 'dist/argocd/staging/notifications', directory: { recurse: false } });
    expect(application.spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'shop-staging' });
    expect(application.spec.project).toBe('shop-staging');
    expect(objects.find(o => o.metadata.name === 'shop-staging').spec.namespaceResourceWhitelist).toContainEqual({ group: '', kind: 'ConfigMap' });
    expect(objects.some(o => o.metadata.name === 'shop-production-notifications')).toBe(false);
  });
});
