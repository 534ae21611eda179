import { Cluster } from '../../lib/argocd';
import { Language } from '../../lib/forgejo';
import { ImageRef } from '../../lib/workload';
import { Fleet, FleetDefinition, ReleasePins, ServiceDefinition } from '../../model';
import { DIGEST } from '../helpers';

const API = `ghcr.io/acme/api@sha256:${DIGEST}`;
const WEB = `ghcr.io/acme/web@sha256:${DIGEST}`;

const definition: FleetDefinition = {
  name: 'shop',
  repoUrl: 'https://forgejo.example.com/platform/infra.git',
  environments: [
    { name: 'staging', cluster: Cluster.inCluster(), namespace: 'shop-staging', defaults: { replicas: 2 } },
    { name: 'production', cluster: Cluster.named('production'), namespace: 'shop' },
  ],
  services: [
    { name: 'api', language: Language.PYTHON, imageRepository: 'ghcr.io/acme/api', port: 8000, overrides: { production: { replicas: 6 } } },
    { name: 'web', language: Language.NODE, imageRepository: 'ghcr.io/acme/web', port: 3000, environments: ['staging'] },
  ],
};

describe('Fleet', () => {
  test('GIVEN the example pins WHEN deployments are listed THEN settings merge defaults, environment and override', () => {
    const fleet = new Fleet(definition);
    const pins = ReleasePins.of({ staging: { api: API, web: WEB }, production: { api: API } });
    const deployments = fleet.deployments(pins);
    expect(deployments.map(d => `${d.environment.name}/${d.service.name}:${d.settings.replicas}`)).toEqual(['staging/api:2', 'staging/web:2', 'production/api:6']);
    expect(fleet.repoPath).toBe('platform/infra');
  });

  test('GIVEN a service without a pin in an environment WHEN deployments are listed THEN it is not deployed there', () => {
    const fleet = new Fleet(definition);
    const onlyApi = ReleasePins.of({ staging: { api: API } });
    expect(fleet.deployments(onlyApi).map(d => d.service.name)).toEqual(['api']);
  });

  test.each([
    ['an invalid service name', { services: [{ ...definition.services[0], name: 'Api_1' }] }, "fleet/services/Api_1: 'name' is 'Api_1': must be a lowercase rfc 1123 label"],
    ['a duplicate service', { services: [definition.services[0], definition.services[0]] }, "fleet: 'services' is 'api': names must be unique; rename or remove one of them"],
    ['an unknown override environment', { services: [{ ...definition.services[0], overrides: { prod: {} } }] }, "fleet/services/api: 'overrides' is 'prod': is not an environment of the fleet; use one of: staging, production"],
    ['an unknown environment', { services: [{ ...definition.services[0], environments: ['qa'] }] }, "fleet/services/api: 'environments' is 'qa': is not an environment of the fleet; use one of: staging, production"],
    ['no language', { services: [{ ...definition.services[0], language: undefined }] }, "fleet/services/api: 'language' is unset: must be a Language, which picks the CI preset; set language: Language.PYTHON or Language.NODE"],
    ['an uppercase repository', { services: [{ ...definition.services[0], imageRepository: 'ghcr.io/Acme/api' }] }, "fleet/services/api: 'imageRepository' is 'ghcr.io/Acme/api': must be lowercase, as registries require; write 'ghcr.io/acme/api'"],
    ['a name too long for its Services', { services: [{ ...definition.services[0], name: 'a'.repeat(57) }] }, `fleet/services/${'a'.repeat(57)}: 'name' is '${'a'.repeat(57)}': makes '${'a'.repeat(57)}-canary' (64 characters), longer than the 63 a Kubernetes name allows`],
    ['a name too long for its Applications', { services: [{ ...definition.services[0], name: 'a'.repeat(53) }] }, `makes '${'a'.repeat(53)}-production' (64 characters)`],
    ['an environment name too long for the root app', { name: 'f'.repeat(40), environments: [{ ...definition.environments[0], name: 'e'.repeat(20) }] }, `makes the root app '${'f'.repeat(40)}-${'e'.repeat(20)}-root' (66 characters), longer than 63`],
    ['a port out of range', { services: [{ ...definition.services[0], port: 70000 }] }, "fleet/services/api: 'port' is 70000: must be an integer from 1 to 65535"],
    ['a repository with a tag', { services: [{ ...definition.services[0], imageRepository: 'ghcr.io/acme/api:1' }] }, "fleet/services/api: 'imageRepository' is 'ghcr.io/acme/api:1': must be a repository without tag or digest"],
    ['a slack channel with its #', { environments: [{ ...definition.environments[0], slackChannel: '#Shop' }] },
      "fleet/environments/staging: 'slackChannel' is '#Shop': must be a slack channel name: lowercase letters, digits, - and _; write it without '#', e.g. 'shop-releases'"],
    ['a verdict requester that is no login', { environments: [{ ...definition.environments[0], verdictRequester: 'bot one' }] },
      "fleet/environments/staging: 'verdictRequester' is 'bot one': must be a forgejo login; write the bot user's login, e.g. 'staging-rollouts-bot'"],
    ['a release requester that is no login', { services: [{ ...definition.services[0], releaseRequester: 'api bot<script>' }] }, "fleet/services/api: 'releaseRequester' is 'api bot<script>': must be a forgejo login; write the bot user's login, e.g. 'api-release-bot'"],
    ['no environments', { environments: [] }, "fleet: 'environments' is []: a fleet needs at least one environment"],
    ['an ssh repo url', { repoUrl: 'git@forgejo:platform/infra.git' }, "fleet: 'repoUrl' is 'git@forgejo:platform/infra.git': must be the https clone url of the infra repo"],
  ])('GIVEN %s WHEN the fleet is defined THEN it fails naming the field', (_, change, message) => {
    expect(() => new Fleet({ ...definition, ...change } as FleetDefinition)).toThrow(message);
  });

  test.each(['ci', 'argocd'])('GIVEN an environment named %s WHEN the fleet is defined THEN it is refused, since its folder of dist/ is taken', name => {
    expect(() => new Fleet({ ...definition, environments: [{ ...definition.environments[0], name }] })).toThrow(
      `fleet/environments/${name}: 'name' is '${name}': is a folder of dist/ the layout keeps for itself, and the environment's yaml would land beside it; rename the environment, e.g. '${name}-env'`,
    );
  });

  test('GIVEN wrong settings in each layer WHEN the fleet is defined THEN each is reported where the user wrote it', () => {
    const env = { ...definition.environments[0], defaults: { replicas: 1 } };
    const api = { ...definition.services[0], settings: { minSuccessRate: 2 }, overrides: { staging: { canaryWeights: [10, 5] } } };
    expect(() => new Fleet({ ...definition, environments: [env, definition.environments[1]], services: [api] })).toThrow([
      '3 problems found:',
      "  - fleet.ts: 'environments[staging].defaults.replicas' is 1: must be an integer of at least 2: with one pod, draining its node or a disruption takes the service down; run at least 2 replicas",
      "  - fleet.ts: 'services[api].settings.minSuccessRate' is 2: must be above 0 and at most 1: below, every canary passes; above, every one fails; use a share such as 0.99",
      "  - fleet.ts: 'services[api].overrides.staging.canaryWeights[1]' is 5: must be above the weight before it (10); list the weights in increasing order, each once",
    ].join('\n'));
  });

  describe('a config key named like a secret, with notSecret beside it', () => {
    // An issuer url is public, but its name reads as a token's.
    const issuer = { config: { TOKEN_ISSUER_URL: 'https://auth.example.com/' }, notSecret: { TOKEN_ISSUER_URL: 'the issuer url, public' } };
    const api = (change: Partial<ServiceDefinition>) => new Fleet({
      ...definition, services: [{ ...definition.services[0], settings: issuer, ...change }],
    });

    test('GIVEN the opt-out in the service\'s settings WHEN deployed THEN every environment gets the config with its reason', () => {
      const pins = ReleasePins.of({ staging: { api: API }, production: { api: API } });
      expect(api({}).deployments(pins).map(d => [d.environment.name, d.settings.config, d.settings.notSecret])).toEqual([
        ['staging', issuer.config, issuer.notSecret],
        ['production', issuer.config, issuer.notSecret],
      ]);
    });

    test.each<[string, Partial<ServiceDefinition>, string]>([
      ['an override that replaces the config without it', { overrides: { production: { config: { TOKEN_ISSUER_URL: 'https://auth.example.com/v2' } } } },
        "fleet.ts: 'services[api].overrides.production.config.TOKEN_ISSUER_URL' is '<redacted>': looks like a secret by its name, and config is written in plain text to a ConfigMap in dist/; "
        + "store it in a Secret and reference it with secretEnv: { TOKEN_ISSUER_URL: { name: '<secret>', key: '<key>' } }, or, if it holds none, say why with notSecret: { TOKEN_ISSUER_URL: '<why it is public>' }"],
      ['an override that names it without the config', { overrides: { production: { notSecret: { TOKEN_ISSUER_URL: 'the issuer url, public' } } } },
        "fleet.ts: 'services[api].overrides.production.notSecret.TOKEN_ISSUER_URL' is 'TOKEN_ISSUER_URL': is not a key of the config beside it, so it lets nothing through; set it in the same settings as the config key it names, or remove it"],
      ['an empty reason', { settings: { ...issuer, notSecret: { TOKEN_ISSUER_URL: '' } } },
        "fleet.ts: 'services[api].settings.notSecret.TOKEN_ISSUER_URL' is '': must say why the value is not a secret, which the ConfigMap records; write the reason, e.g. notSecret: { TOKEN_ISSUER_URL: 'the issuer url, public' }"],
    ])('GIVEN %s WHEN the fleet is defined THEN one error names the layer, the key and the fix', (_, change, message) => {
      let error: Error | undefined;
      try {
        api(change);
      } catch (e) {
        error = e as Error;
      }
      expect(error?.message).toBe(message);
    });
  });

  test('GIVEN a definition with several problems WHEN loaded THEN every one is reported at once', () => {
    expect(() => new Fleet({ ...definition, name: 'Shop', repoUrl: 'git@host:x.git' } as FleetDefinition)).toThrow(
      "2 problems found:\n  - fleet: 'name' is 'Shop': must be a lowercase rfc 1123 label",
    );
    expect(() => new Fleet({ ...definition, name: 'Shop', repoUrl: 'git@host:x.git' } as FleetDefinition)).toThrow("\n  - fleet: 'repoUrl' is 'git@host:x.git': must be the https clone url of the infra repo");
  });

  test('GIVEN lookups of unknown names WHEN made THEN they list what exists', () => {
    const fleet = new Fleet(definition);
    expect(() => fleet.service('db', '--service')).toThrow("fleet: '--service' is 'db': is not a service of the fleet; use one of: api, web, or add it to fleet.ts");
    expect(() => fleet.environment('qa', '--env')).toThrow("fleet: '--env' is 'qa': is not an environment of the fleet; use one of: staging, production");
  });

  test('GIVEN pins that do not fit the fleet WHEN checked THEN each names the file and the fix', () => {
    const fleet = new Fleet(definition);
    const image = ImageRef.parse(`ghcr.io/acme/api@sha256:${DIGEST}`, 'x');
    expect(() => fleet.checkPin('production', 'web', image, 'promote', '--to'))
      .toThrow(`promote: '--to' is 'ghcr.io/acme/api@sha256:${DIGEST}': service 'web' does not run in environment 'production'; add 'production' to its 'environments' in fleet.ts or remove the pin`);
    expect(() => fleet.checkPin('staging', 'web', image, 'release', '--image'))
      .toThrow(`release: '--image' is 'ghcr.io/acme/api@sha256:${DIGEST}': is not from 'ghcr.io/acme/web', the imageRepository of service 'web'; release an image of that repository, or change 'imageRepository' in fleet.ts`);
    const stray = ReleasePins.of({}).with('staging', 'db', image);
    expect(() => fleet.deployments(stray)).toThrow(`releases/staging.json: 'db' is 'ghcr.io/acme/api@sha256:${DIGEST}': is not a service of the fleet; retire it with npm run retire -- --service db, or add the service to fleet.ts`);
  });

});
