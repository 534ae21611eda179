/**
 * Where Argo CD deploys an environment: a cluster registered in Argo CD, by API server URL or by name.
 */
export class Cluster {
  /** The cluster Argo CD itself runs in. */
  public static inCluster(): Cluster {
    return new Cluster('https://kubernetes.default.svc', undefined);
  }

  /** A cluster registered in Argo CD under its API server URL. */
  public static server(url: string): Cluster {
    return new Cluster(url, undefined);
  }

  /** A cluster registered in Argo CD under a name (`argocd cluster add --name`). */
  public static named(name: string): Cluster {
    return new Cluster(undefined, name);
  }

  private constructor(
    /** The API server URL, when the cluster is addressed by URL. */
    public readonly server: string | undefined,
    /** The Argo CD cluster name, when the cluster is addressed by name. */
    public readonly name: string | undefined,
  ) {}
}
