import { ApiObjectMetadata } from 'cdk8s';
import { Construct } from 'constructs';
import * as ap from '../../imports/appproject-argoproj.io';
import { reportAt } from '../errors/problem';
import { Cluster } from './cluster';

/** A cluster and namespace an AppProject lets its Applications deploy to. */
export interface ProjectDestination {
  readonly cluster: Cluster;
  readonly namespace: string;
}

/** Properties of an {@link AppProject}. */
export interface AppProjectProps {
  /** Metadata; `name` is required, and `namespace` is Argo CD's namespace. */
  readonly metadata: ApiObjectMetadata & { readonly name: string; readonly namespace: string };
  /** A one-line description shown in the Argo CD UI. */
  readonly description: string;
  /** The only repository the project's Applications may sync from. */
  readonly sourceRepo: string;
  /** The exact clusters and namespaces the project's Applications may deploy to; no wildcards. */
  readonly destinations: ProjectDestination[];
  /**
   * Whether Applications create their namespace, which needs the cluster-scoped Namespace kind.
   * @default true
   */
  readonly allowNamespaceCreation?: boolean;
  /**
   * The only namespaced kinds the project's Applications may sync, by API group (`''` for the core group).
   * @default - every namespaced kind, Argo CD's own default
   */
  readonly namespacedKinds?: readonly KindRef[];
}

/** A kind by API group and name. */
export interface KindRef {
  /** The API group; `''` for the core group. */
  readonly group: string;
  readonly kind: string;
}

/**
 * An Argo CD AppProject with least privilege: one source repository, exact destinations, no
 * cluster-scoped kinds but Namespace, only the namespaced kinds named, and warnings for orphaned resources.
 */
export class AppProject extends Construct {
  /** The project's `metadata.name`, which Applications refer to. */
  public readonly name: string;

  constructor(scope: Construct, id: string, props: AppProjectProps) {
    super(scope, id);
    if (props.destinations.length === 0) {
      reportAt(this, 'destinations', [], 'a project needs at least one destination', 'list the clusters and namespaces its applications deploy to');
    }
    for (const value of [props.sourceRepo, ...props.destinations.map(d => d.namespace)]) {
      if (value.includes('*')) {
        reportAt(this, 'sourceRepo/destinations', value, 'wildcards would let applications escape the project', 'name the exact repository and namespaces');
      }
    }
    const resource = new ap.AppProject(this, 'Resource', {
      metadata: props.metadata,
      spec: {
        description: props.description,
        sourceRepos: [props.sourceRepo],
        destinations: props.destinations.map(d => ({ server: d.cluster.server, name: d.cluster.name, namespace: d.namespace })),
        // An empty whitelist denies every cluster-scoped kind.
        clusterResourceWhitelist: (props.allowNamespaceCreation ?? true) ? [{ group: '', kind: 'Namespace' }] : [],
        namespaceResourceWhitelist: props.namespacedKinds?.map(k => ({ group: k.group, kind: k.kind })),
        orphanedResources: { warn: true },
      },
    });
    this.name = resource.name;
  }
}
