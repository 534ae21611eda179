import * as fs from 'fs';
import * as path from 'path';
import { Duration } from 'cdk8s';
import { fleet } from '../../../fleet';
import { Fleet, Routing, ServiceSettings } from '../../../lib/fleet';
import { analysisCheckCommand, benchCommand, fleetCommand, planCommand, promoteCommand, releaseCommand, synthCommand } from '../../../lib/cli/commands';
import { fakePrometheus, vector } from '../../fake-prometheus';
import { DIGEST, changedFiles, readTree, tempRepo } from '../../helpers';

const NEW_API = `ghcr.io/acme/api:1.5.0@sha256:${DIGEST}`;

describe('release', () => {
  test('GIVEN a pinned ref WHEN released THEN only the pin and that service in that environment change', () => {
    const root = tempRepo();
    const before = readTree(root);
    const output = releaseCommand(fleet, root, ['--service', 'api', '--env', 'staging', '--image', NEW_API]);
    expect(output).toContain(`pinned api in staging to ${NEW_API}`);
    expect(changedFiles(before, readTree(root))).toEqual(['dist/staging/api/rollout-api.yaml', 'releases/staging.json']);
    expect(JSON.parse(fs.readFileSync(path.join(root, 'releases/staging.json'), 'utf-8')).api).toBe(NEW_API);
    expect(fs.readFileSync(path.join(root, 'dist/staging/api/rollout-api.yaml'), 'utf-8')).toContain(`image: ${NEW_API}`);
  });

  test.each([
    ['an unknown service', ['--service', 'db', '--env', 'staging', '--image', NEW_API], "fleet: '--service' is 'db': is not a service of the fleet; use one of: api, web, or add it to fleet.ts"],
    ['an unknown environment', ['--service', 'api', '--env', 'qa', '--image', NEW_API], "fleet: '--env' is 'qa': is not an environment of the fleet; use one of: staging, production"],
    ['a malformed ref', ['--service', 'api', '--env', 'staging', '--image', 'ghcr.io/acme/api@sha256:xyz'], "--image: image 'ghcr.io/acme/api@sha256:xyz' is not a valid image reference"],
    ['a tag without a digest', ['--service', 'api', '--env', 'staging', '--image', 'ghcr.io/acme/api:1.5.0'], "--image: image 'ghcr.io/acme/api:1.5.0' has a tag but no digest"],
    ['latest', ['--service', 'api', '--env', 'staging', '--image', 'ghcr.io/acme/api:latest'], "--image: image 'ghcr.io/acme/api:latest' uses the tag 'latest' and no digest"],
    ["another service's image", ['--service', 'web', '--env', 'staging', '--image', NEW_API], "is not from 'ghcr.io/acme/web', the imageRepository of service 'web'"],
    ['a missing flag', ['--service', 'api', '--env', 'staging'], "'--image' is missing; usage: npm run release -- --service NAME --env ENV --image"],
    ['an unknown flag', ['--service', 'api', '--envv', 'staging'], "unknown option '--envv'"],
  ])('GIVEN %s WHEN released THEN it fails clearly and no file changes', (_, argv, message) => {
    const root = tempRepo();
    const before = readTree(root);
    expect(() => releaseCommand(fleet, root, argv)).toThrow(message);
    expect(readTree(root)).toEqual(before);
  });
});

describe('promote', () => {
  test('GIVEN a staging pin WHEN promoted THEN production gets the same image and only its files change', () => {
    const root = tempRepo();
    const before = readTree(root);
    promoteCommand(fleet, root, ['--service', 'api', '--from', 'staging', '--to', 'production']);
    const staging = JSON.parse(fs.readFileSync(path.join(root, 'releases/staging.json'), 'utf-8'));
    const production = JSON.parse(fs.readFileSync(path.join(root, 'releases/production.json'), 'utf-8'));
    expect(production.api).toBe(staging.api);
    expect(changedFiles(before, readTree(root))).toEqual(['dist/production/api/rollout-api.yaml', 'releases/production.json']);
  });

  test('GIVEN no pin in the source environment WHEN promoted THEN it fails and no file changes', () => {
    const root = tempRepo();
    const pins = JSON.parse(fs.readFileSync(path.join(root, 'releases/staging.json'), 'utf-8'));
    delete pins.web;
    fs.writeFileSync(path.join(root, 'releases/staging.json'), JSON.stringify(pins));
    const before = readTree(root);
    expect(() => promoteCommand(fleet, root, ['--service', 'web', '--from', 'staging', '--to', 'production']))
      .toThrow("'--from' is 'staging': service 'web' has no pin there, so there is nothing to promote; release it there first");
    expect(readTree(root)).toEqual(before);
  });

  test('GIVEN the same environment twice WHEN promoted THEN it is refused', () => {
    expect(() => promoteCommand(fleet, tempRepo(), ['--service', 'api', '--from', 'staging', '--to', 'staging'])).toThrow("'--to' is 'staging': it must differ from '--from'");
  });
});

describe('fleet', () => {
  test('GIVEN the example fleet WHEN listed THEN the table and the JSON show every pin', () => {
    const root = tempRepo();
    const table = fleetCommand(fleet, root, []).split('\n');
    expect(table[0]).toMatch(/^SERVICE\s+LANGUAGE\s+STAGING\s+PRODUCTION$/);
    expect(table[1]).toMatch(/^api\s+python\s+ghcr\.io\/acme\/api:1\.4\.2@sha256:/);
    const json = JSON.parse(fleetCommand(fleet, root, ['--json']));
    expect(json.environments).toEqual(['staging', 'production']);
    expect(json.services.map((s: { service: string }) => s.service)).toEqual(['api', 'web']);
    expect(json.services[0].images.production).toMatch(/^ghcr\.io\/acme\/api:1\.4\.1@sha256:[0-9a-f]{64}$/);
  });
});

describe('synth', () => {
  test('GIVEN a pin file removing a deployed service WHEN synthesized THEN the prune guard refuses until --allow-prune', () => {
    const root = tempRepo();
    fs.writeFileSync(path.join(root, 'releases/production.json'), JSON.stringify({ api: JSON.parse(fs.readFileSync(path.join(root, 'releases/production.json'), 'utf-8')).api }));
    const before = readTree(path.join(root, 'dist'));
    expect(() => synthCommand(fleet, root, [])).toThrow('dist/production/web would be removed');
    expect(readTree(path.join(root, 'dist'))).toEqual(before);
    synthCommand(fleet, root, ['--allow-prune']);
    expect(fs.existsSync(path.join(root, 'dist/production/web'))).toBe(false);
    expect(fs.existsSync(path.join(root, 'dist/argocd/production/apps/application-web-production.yaml'))).toBe(false);
  });
});

describe('synth of a broken fleet', () => {
  /** The example fleet with `settings` added to every service in every environment. */
  const brokenFleet = (settings: ServiceSettings) => new Fleet({
    name: fleet.name,
    repoUrl: fleet.repoUrl,
    environments: [...fleet.environments],
    services: fleet.services.map(s => ({ ...s, overrides: Object.fromEntries(fleet.environments.map(e => [e.name, { ...s.overrides?.[e.name], ...settings }])) })),
  });

  test.each<[string, ServiceSettings, string]>([
    ['a weight above 100', { canaryWeights: [10, 150] }, "staging-api/Rollout: 'steps[2].setWeight' is 150: must be an integer from 0 to 100"],
    ['a zero analysis count', { analysisCount: 0 }, "staging-api/Analysis: 'metrics[success-rate].count' is 0: must be a positive integer"],
    ['a fractional analysis interval', { analysisInterval: Duration.millis(1500) }, "staging-api/Analysis: 'metrics[success-rate].interval' is '1.5s': must be a whole number of seconds of at least 1"],
    ['an invalid hostname', { routing: Routing.gatewayApi({ gateway: { name: 'public' }, hostnames: ['Shop!'] }) }, "staging-api/HttpRoute: 'hostnames' is 'Shop!': must be a lowercase dns name"],
    ['an invalid environment variable name', { config: { 'LOG-LEVEL': 'info' } }, "staging-api: 'config.LOG-LEVEL' is 'LOG-LEVEL': is not a valid environment variable name"],
  ])('GIVEN %s WHEN synthesized THEN it fails naming the construct and field, and dist/ is unchanged', (_, settings, message) => {
    const root = tempRepo();
    const before = readTree(root);
    expect(() => synthCommand(brokenFleet(settings), root, [])).toThrow(message);
    expect(readTree(root)).toEqual(before);
  });
});

describe('plan', () => {
  test('GIVEN the example fleet WHEN planned THEN plan.md and one chart per Rollout go to the report folder, outside dist/', () => {
    const root = tempRepo();
    const before = readTree(path.join(root, 'dist'));
    const markdown = planCommand(root, []);
    expect(fs.readdirSync(path.join(root, 'reports/plan')).sort()).toEqual(['plan.md', 'production-api.svg', 'production-web.svg', 'staging-api.svg', 'staging-web.svg']);
    expect(fs.readFileSync(path.join(root, 'reports/plan/plan.md'), 'utf-8')).toBe(markdown);
    expect(markdown).toContain('Traffic exposed before the first measurement can fail: **33% (setWeight 10 on 2 replicas)**');
    expect(readTree(path.join(root, 'dist'))).toEqual(before);
  });

  test('GIVEN an output folder inside dist/ WHEN planned THEN it is refused, since Argo CD would read it', () => {
    expect(() => planCommand(tempRepo(), ['--out', 'dist/plan'])).toThrow("'--out' is 'dist/plan': Argo CD reads every yaml file under dist/, and reports do not belong there");
  });

  test('GIVEN no dist/ WHEN planned THEN the error says to synthesize first', () => {
    expect(() => planCommand(tempRepo({ withDist: false }), [])).toThrow('dist/: holds no Rollout to plan; run npm run synth first');
  });
});

describe('analysis:check', () => {
  test('GIVEN one value for every query WHEN checked THEN each metric is judged by its own threshold, and a failure fails the command', async () => {
    const prometheus = await fakePrometheus(() => vector('0.2'));
    try {
      const result = await analysisCheckCommand(fleet, tempRepo(), ['--prometheus', prometheus.url, '--service', 'web', '--env', 'staging', '--canary-hash', 'abc123']);
      expect(result.output.split('\n')).toEqual([
        'staging/web web-canary/success-rate: Failed (0.2); condition >= 0.99 (empty: Failed, NaN: Failed, Inf: Failed)',
        'staging/web web-canary/latency-p99: Successful (0.2); condition <= 0.5 (empty: Failed, NaN: Failed, Inf: Failed)',
      ]);
      expect(result.failed).toBe(true);
      expect(prometheus.queries[0]).toContain('namespace="shop-staging",rollouts_pod_template_hash="abc123"');
    } finally {
      await prometheus.close();
    }
  });

  test('GIVEN an Istio service WHEN checked THEN the canary Service name fills its arg, and no hash is needed', async () => {
    const prometheus = await fakePrometheus(() => vector('0.999'));
    try {
      const result = await analysisCheckCommand(fleet, tempRepo(), ['--prometheus', prometheus.url, '--service', 'api', '--env', 'production']);
      expect(result).toEqual({ output: 'production/api api-canary/success-rate: Successful (0.999); condition >= 0.995 (empty: Failed, NaN: Failed, Inf: Failed)', failed: false });
      expect(prometheus.queries[0]).toContain('destination_service_name="api-canary"');
    } finally {
      await prometheus.close();
    }
  });

  test.each([
    ['no --prometheus', [], "'--prometheus' is missing; usage: npm run analysis:check -- --prometheus URL"],
    ['a bad url', ['--prometheus', 'localhost:9090'], "'--prometheus' is 'localhost:9090': must be an http(s) url"],
    ['an unknown service', ['--prometheus', 'http://p', '--service', 'db'], "fleet: '--service' is 'db': is not a service of the fleet"],
    ['a missing canary hash', ['--prometheus', 'http://p', '--service', 'web', '--env', 'staging'], "staging/web: template 'web-canary' arg 'canary-hash' has no value here; pass --canary-hash"],
  ])('GIVEN %s WHEN checked THEN it fails with the fix', async (_, argv, message) => {
    await expect(analysisCheckCommand(fleet, tempRepo(), argv)).rejects.toThrow(message);
  });

  test('GIVEN a service not pinned in the environment WHEN checked THEN it says nothing matches', async () => {
    const root = tempRepo();
    fs.writeFileSync(path.join(root, 'releases/production.json'), '{}\n');
    await expect(analysisCheckCommand(fleet, root, ['--prometheus', 'http://p', '--service', 'web', '--env', 'production']))
      .rejects.toThrow("'--service' is 'web' and '--env' is 'production': no pinned deployment matches, so there is no analysis to check");
  });
});

describe('bench', () => {
  test.each([
    ['a non-numeric service count', ['--services', 'many'], "'--services' is 'many': must be a positive integer; usage: npm run bench"],
    ['zero environments', ['--envs', '0'], "'--envs' is '0': must be a positive integer"],
    ['an unknown flag', ['--kustomize'], "unknown option '--kustomize'"],
  ])('GIVEN %s WHEN benchmarked THEN it fails with the usage', (_, argv, message) => {
    expect(() => benchCommand(argv)).toThrow(message);
  });
});
