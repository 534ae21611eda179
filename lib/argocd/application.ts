import { ApiObjectMetadata, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import * as app from '../../imports/application-argoproj.io';
import { reportAt } from '../errors/problem';
import { goDuration } from '../private/durations';
import { Cluster } from './cluster';

/** A field that a controller other than Argo CD writes, which Argo CD must not revert. */
export interface IgnoredDifference {
  /** The API group of the kind, e.g. `networking.istio.io`. */
  readonly group: string;
  /** The kind, e.g. `VirtualService`. */
  readonly kind: string;
  /**
   * The object's name.
   * @default - every object of the kind
   */
  readonly name?: string;
  /** JSON pointers to the fields, e.g. `/spec/http/0/route`. */
  readonly jsonPointers: string[];
}

/** Properties of an {@link Application}. */
export interface ApplicationProps {
  /** Metadata; `name` is required, and `namespace` is Argo CD's namespace. */
  readonly metadata: ApiObjectMetadata & { readonly name: string; readonly namespace: string };
  /** The AppProject's name. */
  readonly project: string;
  /** The Git repository holding the manifests. */
  readonly repoUrl: string;
  /** The branch, tag or commit to follow. */
  readonly targetRevision: string;
  /** The folder, relative to the repository root, holding only this Application's Kubernetes YAML. */
  readonly path: string;
  /** The cluster to deploy to. */
  readonly cluster: Cluster;
  /** The namespace to deploy to. */
  readonly namespace: string;
  /**
   * Whether Argo CD creates the destination namespace.
   * @default true
   */
  readonly createNamespace?: boolean;
  /**
   * Fields other controllers write; they are ignored, and only out-of-sync objects are applied so
   * that a sync never resets them.
   * @default - none
   */
  readonly ignoreDifferences?: IgnoredDifference[];
  /**
   * Sync retries before the sync counts as failed; the wait doubles from 5s up to 3m.
   * @default 5
   */
  readonly retryLimit?: number;
}

/** The finalizer that makes deleting an Application delete its resources too. */
export const RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';

/**
 * An Argo CD Application that syncs one folder of `dist/` automatically: prune and self-heal on,
 * an empty sync refused, retries with backoff, its resources deleted with it.
 */
export class Application extends Construct {
  /** The Application's `metadata.name`. */
  public readonly name: string;
  /** The folder the Application syncs. */
  public readonly path: string;

  constructor(scope: Construct, id: string, props: ApplicationProps) {
    super(scope, id);
    this.path = props.path;
    if (props.path.startsWith('/') || props.path.split('/').includes('..')) {
      reportAt(this, 'path', props.path, 'must be relative to the repository root and stay inside it', "write it like 'dist/staging/api'");
    }
    const retryLimit = props.retryLimit ?? 5;
    const ignoreDifferences = props.ignoreDifferences ?? [];
    const syncOptions = [
      ...((props.createNamespace ?? true) ? ['CreateNamespace=true'] : []),
      'ServerSideApply=true',
      'PruneLast=true',
      ...(ignoreDifferences.length ? ['RespectIgnoreDifferences=true', 'ApplyOutOfSyncOnly=true'] : []),
    ];
    const resource = new app.Application(this, 'Resource', {
      metadata: {
        ...props.metadata,
        finalizers: [RESOURCES_FINALIZER],
        // Manifests change only under the Application's own folder: refresh only on commits there.
        annotations: { 'argocd.argoproj.io/manifest-generate-paths': '.', ...props.metadata.annotations },
      },
      spec: {
        project: props.project,
        source: { repoUrl: props.repoUrl, targetRevision: props.targetRevision, path: props.path, directory: { recurse: false } },
        destination: { server: props.cluster.server, name: props.cluster.name, namespace: props.namespace },
        syncPolicy: {
          automated: { prune: true, selfHeal: true, allowEmpty: false },
          retry: {
            limit: retryLimit,
            backoff: { duration: goDuration(Duration.seconds(5)), factor: 2, maxDuration: goDuration(Duration.minutes(3)) },
          },
          syncOptions,
        },
        ignoreDifferences: ignoreDifferences.length
          ? ignoreDifferences.map(d => ({ group: d.group, kind: d.kind, name: d.name, jsonPointers: d.jsonPointers }))
          : undefined,
      },
    });
    this.name = resource.name;
  }
}
