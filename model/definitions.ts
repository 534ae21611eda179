import { Duration } from 'cdk8s';
import { Cluster } from '../lib/argocd/cluster';
import { Language } from '../lib/forgejo/language';
import { ServiceSettings } from './service-settings';
import { SourceRepository } from './source-repository';

/** One environment of the fleet: a cluster and namespace that Argo CD syncs. */
export interface EnvironmentDefinition {
  /** The environment's name, an RFC 1123 label; it names `dist/<name>/` and `releases/<name>.json`. */
  readonly name: string;
  /** The cluster Argo CD deploys this environment to. */
  readonly cluster: Cluster;
  /** The namespace the services of this environment run in; Argo CD creates it. */
  readonly namespace: string;
  /**
   * Settings applied to every service in this environment, before each service's own.
   * @default - the built-in defaults
   */
  readonly defaults?: ServiceSettings;
  /**
   * The Prometheus server the analysis of this environment queries.
   * @default 'http://prometheus-operated.monitoring.svc:9090' (prometheus-operator's default Service)
   */
  readonly prometheusAddress?: string;
  /**
   * How long a digest must have been verified here (its canary completed with every analysis
   * Successful, `npm run verdict`) before `npm run promote` carries it to the next environment.
   * @default - 30 minutes, and none for the last environment (nothing is promoted from it)
   */
  readonly soakTime?: Duration;
  /**
   * Whether `npm run promote -- --auto` (the infra workflow's scheduled job) promotes a digest from
   * here to the next environment by itself once it is verified and soaked.
   * @default false
   */
  readonly autoPromote?: boolean;
  /**
   * The Slack channel told when a canary of this environment aborts or pauses on an inconclusive
   * analysis; the bot token is the key `slack-token` of the notification Secret of its namespace.
   * @default - nobody is told but the infra repository, through its verdict issues
   */
  readonly slackChannel?: string;
  /**
   * The Forgejo login (a bot user whose issue-only token the environment's notification Secret holds)
   * whose verdict issues `npm run request` records; anyone else's are refused.
   * @default - none: the environment accepts no verdict issues, only `npm run verdict` in the infra repo
   */
  readonly verdictRequester?: string;
}

/** One service of the fleet, deployed to each of its environments that holds an image pin for it. */
export interface ServiceDefinition {
  /** The service's name, an RFC 1123 label; it names the Rollout, its Services and `dist/<env>/<name>/`. */
  readonly name: string;
  /** The language, which picks the CI preset. */
  readonly language: Language;
  /** The image repository CI pushes to, without tag or digest, e.g. `ghcr.io/acme/api`. */
  readonly imageRepository: string;
  /** The container port the service listens on for HTTP. */
  readonly port: number;
  /**
   * The HTTP path that answers 200 once the service can take traffic.
   * @default '/healthz'
   */
  readonly readinessPath?: string;
  /**
   * The environments the service runs in.
   * @default - every environment of the fleet
   */
  readonly environments?: string[];
  /**
   * The service's settings in every environment.
   * @default - the environment's defaults
   */
  readonly settings?: ServiceSettings;
  /**
   * Per-environment overrides, keyed by environment name.
   * @default - none
   */
  readonly overrides?: Record<string, ServiceSettings>;
  /**
   * The service's own repository: `npm run sync-workflows` keeps its `.forgejo/workflows/` equal to
   * `dist/ci/<name>/`.
   * @default - none: copy the workflows by hand
   */
  readonly sourceRepository?: SourceRepository;
  /**
   * The Forgejo login (a bot user of the service's pipeline) whose release requests, issues titled
   * `release <service> <env>` in the infra repo, `npm run request` lands; anyone else's are refused.
   * @default - none: the service accepts no release requests, only `npm run release` in the infra repo
   */
  readonly releaseRequester?: string;
}

/** The whole fleet: the infra repo, its environments and its services. */
export interface FleetDefinition {
  /** The fleet's name, an RFC 1123 label; it names the Argo CD projects. */
  readonly name: string;
  /** The infra repo's clone URL: the only source Argo CD may sync from. */
  readonly repoUrl: string;
  /**
   * The branch of the infra repo Argo CD follows.
   * @default 'main'
   */
  readonly targetRevision?: string;
  /**
   * The Forgejo runner label CI jobs run on; the runner's admin sets the labels.
   * @default 'docker'
   */
  readonly runnerLabel?: string;
  /** The environments, in promotion order. */
  readonly environments: EnvironmentDefinition[];
  /** The services. */
  readonly services: ServiceDefinition[];
}
