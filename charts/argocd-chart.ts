import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { Application, AppProject, Cluster, KindRef } from '../lib/argocd';
import { OutputFolder } from '../lib/output';
import { Fleet } from '../model';
import { Layout } from '../model/layout';
import { NotificationsChart } from './notifications-chart';
import { ServiceChart } from './service-chart';

/** Properties of an {@link ArgoCdChart}. */
export interface ArgoCdChartProps {
  readonly fleet: Fleet;
  /** The service charts to create Applications for. */
  readonly services: readonly ServiceChart[];
  /**
   * The notifications charts to create Applications for, one per environment.
   * @default - none
   */
  readonly notifications?: readonly NotificationsChart[];
  /**
   * The namespace Argo CD runs in.
   * @default 'argocd'
   */
  readonly argoNamespace?: string;
}

/**
 * The Argo CD objects of every environment: a least-privilege AppProject, one Application per
 * service, and a root app-of-apps that syncs them. `kubectl apply -f dist/argocd/<env>/root.yaml`
 * bootstraps an environment; from then on Git is the only way in.
 */
export class ArgoCdChart extends Chart {
  constructor(scope: Construct, id: string, props: ArgoCdChartProps) {
    const argoNamespace = props.argoNamespace ?? 'argocd';
    super(scope, id, { namespace: argoNamespace });
    const { fleet } = props;

    for (const environment of fleet.environments) {
      const apps = new OutputFolder(this, `${environment.name}-apps`, { path: Layout.argoApps(environment.name) });
      const charts = props.services.filter(c => c.deployment.environment === environment);
      const notifications = props.notifications?.find(c => c.environment === environment);
      const project = new AppProject(apps, 'Project', {
        metadata: { name: `${fleet.name}-${environment.name}`, namespace: argoNamespace },
        description: `${fleet.name} services in ${environment.name}`,
        sourceRepo: fleet.repoUrl,
        destinations: [{ cluster: environment.cluster, namespace: environment.namespace }],
        // Exactly the kinds the environment's services are made of: no Role, no Secret.
        namespacedKinds: kindsOf([...charts, ...(notifications ? [notifications] : [])]),
      });
      for (const chart of charts) {
        const { deployment } = chart;
        new Application(apps, deployment.service.name, {
          metadata: { name: `${deployment.service.name}-${environment.name}`, namespace: argoNamespace },
          project: project.name,
          repoUrl: fleet.repoUrl,
          targetRevision: fleet.targetRevision,
          path: Layout.service(environment.name, deployment.service.name),
          cluster: environment.cluster,
          namespace: environment.namespace,
          // Router weights and managed routes belong to the rollout controller while a release runs.
          ignoreDifferences: chart.service.controllerOwnedFields,
        });
      }

      if (notifications) {
        // The verdict notifications of the environment's namespace: its own Application, so no service's removal prunes them.
        new Application(apps, 'RolloutNotifications', {
          metadata: { name: `${fleet.name}-${environment.name}-notifications`, namespace: argoNamespace },
          project: project.name,
          repoUrl: fleet.repoUrl,
          targetRevision: fleet.targetRevision,
          path: Layout.rolloutNotifications(environment.name),
          cluster: environment.cluster,
          namespace: environment.namespace,
        });
      }

      const root = new OutputFolder(this, `${environment.name}-root`, { path: Layout.argoRoot(environment.name), fileName: 'root.yaml' });
      // The root app gets a project of its own, not the built-in 'default', which may deploy anything
      // anywhere: this repository, Argo CD's namespace, Applications and AppProjects only. root.yaml
      // holds the project first, so one kubectl apply creates both.
      const rootProject = new AppProject(root, 'RootProject', {
        metadata: { name: `${fleet.name}-${environment.name}-root`, namespace: argoNamespace },
        description: `the root app of ${fleet.name} in ${environment.name}: its Applications and AppProject`,
        sourceRepo: fleet.repoUrl,
        destinations: [{ cluster: Cluster.inCluster(), namespace: argoNamespace }],
        allowNamespaceCreation: false,
        namespacedKinds: [{ group: 'argoproj.io', kind: 'AppProject' }, { group: 'argoproj.io', kind: 'Application' }],
      });
      new Application(root, 'Root', {
        metadata: { name: `${fleet.name}-${environment.name}-root`, namespace: argoNamespace },
        project: rootProject.name,
        repoUrl: fleet.repoUrl,
        targetRevision: fleet.targetRevision,
        path: Layout.argoApps(environment.name),
        cluster: Cluster.inCluster(),
        namespace: argoNamespace,
        createNamespace: false,
      });
    }
  }
}

/** The namespaced kinds the charts emit, by API group, sorted. */
function kindsOf(charts: readonly Chart[]): KindRef[] {
  const kinds = new Map<string, KindRef>();
  for (const object of charts.flatMap(c => c.node.findAll()).filter(ApiObject.isApiObject)) {
    const group = object.apiVersion.includes('/') ? object.apiVersion.split('/')[0] : '';
    kinds.set(`${group}/${object.kind}`, { group, kind: object.kind });
  }
  return [...kinds.values()].sort((a, b) => `${a.group}/${a.kind}`.localeCompare(`${b.group}/${b.kind}`));
}
