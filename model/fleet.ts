import { Duration } from 'cdk8s';
import { Problem, fail, failAll } from '../lib/errors/problem';
import { Language } from '../lib/forgejo/language';
import { DEFAULT_RUNNER_LABEL } from '../lib/forgejo/workflow';
import { canaryServiceSettingProblems } from '../lib/patterns/canary-service';
import { dnsLabelRule, isDnsLabel } from '../lib/private/names';
import { ImageRef, isImageRepository } from '../lib/workload/image-ref';
import { EnvironmentDefinition, FleetDefinition, ServiceDefinition } from './definitions';
import { Layout } from './layout';
import { ReleasePins } from './release-pins';
import { ResolvedServiceSettings, ServiceSettings, resolveSettings } from './service-settings';

/** How long a verified digest soaks in an environment before the next one, unless the environment says. */
export const DEFAULT_SOAK_TIME = Duration.minutes(30);

/** The longest Kubernetes label value, and Service name. */
const MAX_NAME = 63;

/** One service running in one environment: the unit that gets a chart, a `dist/` folder and an Application. */
export interface ServiceDeployment {
  readonly service: ServiceDefinition;
  readonly environment: EnvironmentDefinition;
  readonly image: ImageRef;
  readonly settings: ResolvedServiceSettings;
}

/**
 * The fleet model every command shares: the typed definition checked once, plus lookups that fail
 * with a message naming what exists.
 */
export class Fleet {
  public readonly name: string;
  public readonly repoUrl: string;
  public readonly targetRevision: string;
  public readonly runnerLabel: string;
  public readonly environments: readonly EnvironmentDefinition[];
  public readonly services: readonly ServiceDefinition[];

  constructor(definition: FleetDefinition) {
    this.name = definition.name;
    this.repoUrl = definition.repoUrl;
    this.targetRevision = definition.targetRevision ?? 'main';
    this.runnerLabel = definition.runnerLabel ?? DEFAULT_RUNNER_LABEL;
    this.environments = definition.environments;
    this.services = definition.services;
    this.check();
  }

  /** The infra repo as `owner/name`, the form `actions/checkout` takes. */
  public get repoPath(): string {
    return new URL(this.repoUrl).pathname.replace(/^\/+/, '').replace(/\.git$/, '');
  }

  /**
   * The Forgejo API route that opens an issue in the infra repository, where the clusters file their
   * canaries' verdicts: `POST /api/v1/repos/{owner}/{repo}/issues` (Forgejo routers/api/v1/api.go),
   * on the host of `repoUrl`.
   */
  public get verdictIssuesUrl(): string {
    return `${new URL(this.repoUrl).origin}/api/v1/repos/${this.repoPath}/issues`;
  }

  /** The environment called `name`. */
  public environment(name: string, field = 'environment'): EnvironmentDefinition {
    const found = this.environments.find(e => e.name === name);
    if (!found) {
      fail({ at: 'fleet', field, value: name, rule: 'is not an environment of the fleet', fix: `use one of: ${this.environments.map(e => e.name).join(', ')}` });
    }
    return found;
  }

  /** The service called `name`. */
  public service(name: string, field = 'service'): ServiceDefinition {
    const found = this.services.find(s => s.name === name);
    if (!found) {
      fail({ at: 'fleet', field, value: name, rule: 'is not a service of the fleet', fix: `use one of: ${this.services.map(s => s.name).join(', ')}, or add it to fleet.ts` });
    }
    return found;
  }

  /**
   * How long a digest must stay verified in an environment before it is promoted from there: the
   * environment's `soakTime`, by default {@link DEFAULT_SOAK_TIME} before the last environment and none in it.
   */
  public soakTime(environment: string): Duration {
    const definition = this.environment(environment);
    const last = this.environments[this.environments.length - 1] === definition;
    return definition.soakTime ?? (last ? Duration.seconds(0) : DEFAULT_SOAK_TIME);
  }

  /** The environments a service runs in, in promotion order. */
  public environmentsOf(service: ServiceDefinition): EnvironmentDefinition[] {
    const names = service.environments ?? this.environments.map(e => e.name);
    return this.environments.filter(e => names.includes(e.name));
  }

  /** Every service × environment that holds a pin, environments in promotion order, services sorted. */
  public deployments(pins: ReleasePins): ServiceDeployment[] {
    this.checkPins(pins);
    const deployments: ServiceDeployment[] = [];
    for (const environment of this.environments) {
      for (const service of [...this.services].sort((a, b) => a.name.localeCompare(b.name))) {
        const image = pins.get(environment.name, service.name);
        if (!image || !this.environmentsOf(service).includes(environment)) continue;
        deployments.push({
          service,
          environment,
          image,
          settings: resolveSettings(environment.defaults, service.settings, service.overrides?.[environment.name]),
        });
      }
    }
    return deployments;
  }

  /**
   * Checks that a pin names a service of the fleet, runs in that environment and comes from its repository.
   * @param at the command or file the pin came from, and `field` its flag or key, named in errors
   */
  public checkPin(environment: string, service: string, image: ImageRef, at: string, field: string): void {
    const definition = this.service(service);
    if (!this.environmentsOf(definition).some(e => e.name === environment)) {
      fail({ at, field, value: image.toString(), rule: `service '${service}' does not run in environment '${environment}'`, fix: `add '${environment}' to its 'environments' in fleet.ts or remove the pin` });
    }
    if (image.repository !== definition.imageRepository) {
      fail({ at, field, value: image.toString(), rule: `is not from '${definition.imageRepository}', the imageRepository of service '${service}'`, fix: "release an image of that repository, or change 'imageRepository' in fleet.ts" });
    }
  }

  private checkPins(pins: ReleasePins): void {
    for (const environment of this.environments) {
      for (const service of pins.services(environment.name)) {
        const file = pins.file(environment.name);
        const image = pins.get(environment.name, service)!;
        if (!this.services.some(s => s.name === service)) {
          fail({ at: file, field: service, value: image.toString(), rule: 'is not a service of the fleet', fix: `retire it with npm run retire -- --service ${service}, or add the service to fleet.ts` });
        }
        this.checkPin(environment.name, service, image, file, service);
      }
    }
  }

  /** Checks the whole definition and reports every problem at once. */
  private check(): void {
    const problems: Problem[] = [];
    const problem = (p: Problem | undefined) => { if (p) problems.push(p); };
    problem(nameProblem('fleet', 'name', this.name));
    if (!/^https:\/\/[^/\s]+\/[^/\s]+\/[^/\s]+?(\.git)?$/.test(this.repoUrl)) {
      problem({ at: 'fleet', field: 'repoUrl', value: this.repoUrl, rule: 'must be the https clone url of the infra repo', fix: "write it like 'https://forgejo.example.com/platform/infra.git'" });
    }
    if (this.environments.length === 0) {
      problem({ at: 'fleet', field: 'environments', value: [], rule: 'a fleet needs at least one environment', fix: "add one, e.g. { name: 'staging', cluster: Cluster.inCluster(), namespace: 'staging' }" });
    }
    problem(duplicateProblem('fleet', 'environments', this.environments.map(e => e.name)));
    problem(duplicateProblem('fleet', 'services', this.services.map(s => s.name)));
    const envNames = this.environments.map(e => e.name);
    for (const environment of this.environments) {
      const at = `fleet/environments/${environment.name}`;
      problem(nameProblem(at, 'name', environment.name));
      if (Layout.reservedEnvironmentNames.includes(environment.name)) {
        problem({ at, field: 'name', value: environment.name, rule: "is a folder of dist/ the layout keeps for itself, and the environment's yaml would land beside it", fix: `rename the environment, e.g. '${environment.name}-env'` });
      }
      problem(nameProblem(at, 'namespace', environment.namespace));
      problem(loginProblem(at, 'verdictRequester', environment.verdictRequester, `${environment.name}-rollouts-bot`));
      // Slack channel names are lowercase letters, digits, '-' and '_', at most 80 characters.
      if (environment.slackChannel !== undefined && !/^[a-z0-9][a-z0-9_-]{0,79}$/.test(environment.slackChannel)) {
        problem({ at, field: 'slackChannel', value: environment.slackChannel, rule: 'must be a slack channel name: lowercase letters, digits, - and _', fix: "write it without '#', e.g. 'shop-releases'" });
      }
      const root = `${this.name}-${environment.name}-root`;
      if (root.length > MAX_NAME) {
        problem({ at, field: 'name', value: environment.name, rule: `makes the root app '${root}' (${root.length} characters), longer than ${MAX_NAME}`, fix: 'shorten the fleet or environment name' });
      }
    }
    // Settings are checked where they are written, in the fleet's own terms, before any chart is built.
    const settingProblems = (field: string, settings: ServiceSettings | undefined) => {
      for (const p of canaryServiceSettingProblems(settings ?? {})) problem({ ...p, at: 'fleet.ts', field: `${field}.${p.field}` });
    };
    for (const environment of this.environments) settingProblems(`environments[${environment.name}].defaults`, environment.defaults);
    for (const service of this.services) {
      settingProblems(`services[${service.name}].settings`, service.settings);
      for (const [env, override] of Object.entries(service.overrides ?? {})) settingProblems(`services[${service.name}].overrides.${env}`, override);
    }
    for (const service of this.services) {
      const at = `fleet/services/${service.name}`;
      problem(nameProblem(at, 'name', service.name));
      if (!Number.isInteger(service.port) || service.port < 1 || service.port > 65535) {
        problem({ at, field: 'port', value: service.port, rule: 'must be an integer from 1 to 65535', fix: 'set the port the container listens on' });
      }
      if (/[:@]/.test(service.imageRepository.split('/').slice(1).join('/')) || !service.imageRepository.includes('/')) {
        problem({ at, field: 'imageRepository', value: service.imageRepository, rule: 'must be a repository without tag or digest', fix: "write e.g. 'ghcr.io/acme/api'; the digest lives in releases/<env>.json" });
      } else if (!/[A-Z]/.test(service.imageRepository) && !isImageRepository(service.imageRepository)) {
        problem({
          at, field: 'imageRepository', value: service.imageRepository, rule: 'is not an image repository: a registry host, then path components of lowercase letters and digits joined by ., _, __ or -',
          fix: "write e.g. 'ghcr.io/acme/api'",
        });
      }
      for (const [field, names] of [['environments', service.environments ?? []], ['overrides', Object.keys(service.overrides ?? {})]] as const) {
        for (const env of names.filter(n => !envNames.includes(n))) {
          problem({ at, field, value: env, rule: 'is not an environment of the fleet', fix: `use one of: ${envNames.join(', ')}` });
        }
      }
      if (!(service.language instanceof Language)) {
        problem({ at, field: 'language', value: service.language, rule: 'must be a Language, which picks the CI preset', fix: 'set language: Language.PYTHON or Language.NODE' });
      }
      const repository = service.sourceRepository;
      if (repository && (!repository.url.trim() || /\s/.test(repository.url))) {
        problem({ at, field: 'sourceRepository.url', value: repository.url, rule: 'must be the clone url of the service\'s repository', fix: "write it like 'https://forgejo.example.com/shop/api.git'" });
      }
      problem(loginProblem(at, 'releaseRequester', service.releaseRequester, 'api-release-bot'));
      if (/[A-Z]/.test(service.imageRepository)) {
        problem({ at, field: 'imageRepository', value: service.imageRepository, rule: 'must be lowercase, as registries require', fix: `write '${service.imageRepository.toLowerCase()}'` });
      }
      // Every object derived from the name must fit a Kubernetes name (63 characters for labels and Services).
      const derived = [`${service.name}-canary`, `${service.name}-stable`, ...this.environmentsOf(service).map(e => `${service.name}-${e.name}`)];
      for (const name of derived.filter(n => n.length > MAX_NAME)) {
        problem({ at, field: 'name', value: service.name, rule: `makes '${name}' (${name.length} characters), longer than the ${MAX_NAME} a Kubernetes name allows`, fix: 'shorten the service or environment name' });
      }
    }
    failAll(problems);
  }
}

function nameProblem(at: string, field: string, value: string): Problem | undefined {
  if (isDnsLabel(value)) return undefined;
  return { at, field, value, rule: dnsLabelRule(), fix: `rename it, e.g. '${value.toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/^-+|-+$/g, '') || 'my-name'}'` };
}

/** A login is only compared with a request's author, so a loose shape check suffices: no spaces, no markup. */
function loginProblem(at: string, field: string, login: string | undefined, example: string): Problem | undefined {
  if (login === undefined || /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/.test(login)) return undefined;
  return { at, field, value: login, rule: 'must be a forgejo login', fix: `write the bot user's login, e.g. '${example}'` };
}

function duplicateProblem(at: string, field: string, names: string[]): Problem | undefined {
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  return duplicate === undefined ? undefined : { at, field, value: duplicate, rule: 'names must be unique', fix: 'rename or remove one of them' };
}
