/** Where a file of `dist/` belongs: a service's folder, an environment's Argo CD folder, or a service's CI. */
export type DistPlace =
  | { readonly kind: 'service'; readonly environment: string; readonly service: string }
  | { readonly kind: 'argocd'; readonly environment: string }
  | { readonly kind: 'ci'; readonly service: string };

const DIST = 'dist';
const RELEASES = 'releases';
const REPORTS = 'reports';
const ARGOCD = 'argocd';
const CI = 'ci';

/**
 * The one owner of the repository's layout: every command and chart writes and reads paths under
 * `dist/`, `releases/` and `reports/` through it, so a folder cannot be named in one place and parsed
 * differently in another. Layout are relative to the repository root, with `/` separators.
 */
export const Layout = {
  /** The synthesized output Argo CD syncs. */
  dist: DIST,
  /** The pins, build records and verdicts, one set per environment. */
  releases: RELEASES,
  /** Reports the commands write for people (plan, review, replay); never read by Argo CD. */
  reports: REPORTS,
  /** Folder names under `dist/` that the layout takes for itself, so no environment may be called so. */
  reservedEnvironmentNames: [ARGOCD, CI] as readonly string[],

  /** The folder an Argo CD Application syncs: only that service's Kubernetes YAML. */
  service: (environment: string, service: string) => `${DIST}/${environment}/${service}`,
  /** The root app-of-apps of an environment, applied once by hand to bootstrap. */
  argoRoot: (environment: string) => `${DIST}/${ARGOCD}/${environment}`,
  /** The Applications and AppProject the root app syncs. */
  argoApps: (environment: string) => `${DIST}/${ARGOCD}/${environment}/apps`,
  /** The Argo Rollouts notifications configuration of an environment's namespace, which its own Application syncs. */
  rolloutNotifications: (environment: string) => `${DIST}/${ARGOCD}/${environment}/notifications`,
  /** A service's CI workflows, to copy into `.forgejo/workflows/` of the service's repository. */
  serviceCi: (service: string) => `${DIST}/${CI}/${service}`,

  /** An environment's pins: service name to digest-pinned image. */
  pinFile: (environment: string) => `${RELEASES}/${environment}.json`,
  /** The builds behind an environment's pins. */
  buildsFile: (environment: string) => `${RELEASES}/${environment}.builds.json`,
  /** The canaries' verdicts in an environment: completed, aborted or inconclusive, per service, and what each did to the pin. */
  verdictsFile: (environment: string) => `${RELEASES}/${environment}.verdicts.json`,

  /** Where `npm run plan` writes by default. */
  planReports: `${REPORTS}/plan`,
  /** Where `npm run review` writes by default. */
  reviewReports: `${REPORTS}/review`,
  /** Where `npm run simulate` writes by default. */
  simulateReports: `${REPORTS}/simulate`,

  /** Whether a path (relative to the root) is `dist/` or inside it, where no report may go. */
  isInDist: (relative: string) => {
    const normalized = relative.split(/[\\/]+/).filter(p => p !== '' && p !== '.').join('/');
    return normalized === DIST || normalized.startsWith(`${DIST}/`);
  },

  /**
   * Where a file of `dist/` belongs, from its path relative to the root; undefined for a path outside
   * `dist/` or one the layout does not make.
   */
  place: (file: string): DistPlace | undefined => {
    const [root, first, second] = file.split('/');
    if (root !== DIST || first === undefined || second === undefined) return undefined;
    if (first === ARGOCD) return { kind: 'argocd', environment: second };
    if (first === CI) return { kind: 'ci', service: second };
    return { kind: 'service', environment: first, service: second };
  },
} as const;
