/**
 * Where each part of the fleet is written, relative to the repository root. The service charts and
 * the Argo CD Applications both read these, so an Application's path and its folder cannot drift.
 */
export const Paths = {
  /** The folder an Argo CD Application syncs: only that service's Kubernetes YAML. */
  service: (environment: string, service: string) => `dist/${environment}/${service}`,
  /** The root app-of-apps of an environment, applied once by hand to bootstrap. */
  argoRoot: (environment: string) => `dist/argocd/${environment}`,
  /** The Applications and AppProject the root app syncs. */
  argoApps: (environment: string) => `dist/argocd/${environment}/apps`,
  /** A service's CI workflows, to copy into `.forgejo/workflows/` of the service's repository. */
  serviceCi: (service: string) => `dist/ci/${service}`,
} as const;
