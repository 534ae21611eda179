import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import fc from 'fast-check';
import { analysisCheckCommand } from '../cli/analysis-check';
import { benchCommand } from '../cli/bench';
import { planCommand } from '../cli/plan';
import { promoteCommand } from '../cli/promote';
import { publishReviewCommand } from '../cli/publish-review';
import { releaseCommand } from '../cli/release';
import { rollbackCommand } from '../cli/rollback';
import { simulateCommand } from '../cli/simulate';
import { runCommand } from '../cli/support/command';
import { synthCommand } from '../cli/synth';
import { ConfigError } from '../lib/errors';
import { IstioDataPlane, Routing } from '../lib/patterns';
import { EnvironmentDefinition, Fleet, FleetDefinition, ServiceDefinition, ServiceSettings } from '../model';
import { fleet } from './fixtures/fleet';
import { DIGEST, FIXTURE_ROOT, OTHER_DIGEST, ROOT, readTree, tempRepo } from './helpers';

/**
 * A probe of the bad inputs a user can give, through the real commands: every one fails with one
 * clean error naming where, the field and the fix, and leaves dist/, releases/ and .forgejo/ byte for
 * byte as they were; the intended inputs beside them are accepted.
 */

const definition = (): FleetDefinition => ({
  name: fleet.name, repoUrl: fleet.repoUrl, environments: [...fleet.environments], services: [...fleet.services],
});
/** The example fleet with `settings` in every service's overrides for every environment. */
const withSettings = (settings: ServiceSettings) => ({
  ...definition(),
  services: fleet.services.map(s => ({
    ...s,
    overrides: Object.fromEntries(fleet.environments.map(e => [e.name, { ...s.overrides?.[e.name], ...settings }])),
  })),
});
const withService = (change: Partial<ServiceDefinition>) => ({ ...definition(), services: [{ ...fleet.services[0], ...change }, fleet.services[1]] });
const withEnvironment = (change: Partial<EnvironmentDefinition>) => ({
  ...definition(),
  environments: [{ ...fleet.environments[0], ...change }, fleet.environments[1]],
});
const image = (service: string, digest = DIGEST) => `ghcr.io/acme/${service}@sha256:${digest}`;

/** A bad input: its name, what it runs, the text its error must hold, and what it writes into the repository first. */
type Probe = [string, (root: string) => unknown, string, ((root: string) => void)?];

const settings: Probe[] = ([
  ['minSuccessRate', { minSuccessRate: -0.1 }], ['minSuccessRate', { minSuccessRate: 0 }], ['minSuccessRate', { minSuccessRate: 1.5 }],
  ['minSuccessRate', { minSuccessRate: NaN }], ['minSuccessRate', { minSuccessRate: Infinity }],
  ['canaryWeights[1]', { canaryWeights: [10, 10] }], ['canaryWeights[1]', { canaryWeights: [50, 10] }], ['canaryWeights[0]', { canaryWeights: [0, 50] }],
  ['canaryWeights[1]', { canaryWeights: [10, 150] }], ['canaryWeights[0]', { canaryWeights: [10.5] }], ['canaryWeights', { canaryWeights: [] }],
  ['canaryWeights[0]', { canaryWeights: [-5, 10] }],
  ['replicas', { replicas: 0 }], ['replicas', { replicas: 1 }], ['replicas', { replicas: -1 }], ['replicas', { replicas: 2.5 }],
  ['autoscaling.maxReplicas', { autoscaling: { maxReplicas: 0 } }], ['autoscaling.minReplicas', { autoscaling: { minReplicas: 0, maxReplicas: 5 } }],
  ['autoscaling.maxReplicas', { autoscaling: { minReplicas: 5, maxReplicas: 3 } }], ['autoscaling.cpuUtilizationPercent', { autoscaling: { maxReplicas: 10, cpuUtilizationPercent: 0 } }],
  ['autoscaling.maxReplicas', { autoscaling: { maxReplicas: 4.5 } }], ['autoscaling.minReplicas', { autoscaling: { minReplicas: 1, maxReplicas: 4 } }],
  ['resources.cpu.limit', { resources: { cpu: { request: kplus.Cpu.millis(500), limit: kplus.Cpu.millis(100) } } }],
  ['resources.memory.limit', { resources: { memory: { request: Size.mebibytes(512), limit: Size.mebibytes(256) } } }],
  ['maxLatency', { maxLatency: Duration.millis(0) }], ['maxLatency', { maxLatency: Duration.seconds(0) }],
  ['expectedRequestRate', { expectedRequestRate: -1 }], ['expectedRequestRate', { expectedRequestRate: NaN }], ['expectedRequestRate', { expectedRequestRate: Infinity }],
  ['config.LOG-LEVEL', { config: { 'LOG-LEVEL': 'x' } }], ['config.1X', { config: { '1X': 'y' } }], ['config.A B', { config: { 'A B': 'z' } }],
  ['secretEnv.X.name', { secretEnv: { X: { name: '', key: 'k' } } }], ['secretEnv.X.name', { secretEnv: { X: { name: 'Bad_Name', key: 'k' } } }],
  ['secretEnv.X.key', { secretEnv: { X: { name: 's', key: '' } } }], ['secretEnv.X.key', { secretEnv: { X: { name: 's', key: 'a/b' } } }],
  ['config.DB_PASSWORD', { config: { DB_PASSWORD: 'hunter2' } }], ['config.GITHUB_TOKEN', { config: { GITHUB_TOKEN: 'x' } }],
  ['config.DATABASE_URL', { config: { DATABASE_URL: 'postgres://app:hunter2@db:5432/app' } }],
  ['config.TLS', { config: { TLS: '-----BEGIN RSA PRIVATE KEY-----\nabc' } }],
  ['secretEnv.LOG_LEVEL', { config: { LOG_LEVEL: 'info' }, secretEnv: { LOG_LEVEL: { name: 's', key: 'k' } } }],
  ['notSecret.TOKEN_ISSUER_URL', { notSecret: { TOKEN_ISSUER_URL: 'the issuer url, public' } }],
  ['notSecret.TOKEN_ISSUER_URL', { config: { TOKEN_ISSUER_URL: 'https://auth.example.com/' }, notSecret: { TOKEN_ISSUER_URL: '' } }],
  ['config.TOKEN_ISSUER_URL', { config: { TOKEN_ISSUER_URL: 'https://app:hunter2@auth.example.com/' }, notSecret: { TOKEN_ISSUER_URL: 'the issuer url, public' } }],
  ['metrics[error-rate-vs-stable].count', { analysisCount: 0 }], ['metrics[error-rate-vs-stable].count', { analysisCount: -1 }], ['metrics[error-rate-vs-stable].count', { analysisCount: 1.5 }],
  ['metrics[error-rate-vs-stable].interval', { analysisInterval: Duration.millis(1500) }], ['metrics[error-rate-vs-stable].interval', { analysisInterval: Duration.seconds(0) }],
  ['hostnames', { routing: Routing.gatewayApi({ gateway: { name: 'public' }, hostnames: [] }) }],
  ['hostnames', { routing: Routing.gatewayApi({ gateway: { name: 'public' }, hostnames: ['Shop!'] }) }],
  ['hostnames', { routing: Routing.gatewayApi({ gateway: { name: 'public' }, hostnames: ['a..b'] }) }],
  ['hostnames', { routing: Routing.gatewayApi({ gateway: { name: 'public' }, hostnames: ['-x.example.com'] }) }],
  ['hosts', { routing: Routing.istio({ hosts: [] }) }],
  ['gateways', { routing: Routing.istio({ dataPlane: IstioDataPlane.AMBIENT, gateways: ['istio-system/public'] }) }],
] as [string, ServiceSettings][]).map(([field, value]) => [`settings ${JSON.stringify(value, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v))}`, root => synthCommand(new Fleet(withSettings(value)), root, []), `${field}' is`]);

const fleetDefinitions: Probe[] = ([
  ["'name' is 'Shop'", { ...definition(), name: 'Shop' }], ["'repoUrl' is 'git@forgejo:platform/infra.git'", { ...definition(), repoUrl: 'git@forgejo:platform/infra.git' }],
  ["'repoUrl' is 'http://forgejo/infra.git'", { ...definition(), repoUrl: 'http://forgejo/infra.git' }], ["'environments' is []", { ...definition(), environments: [] }],
  ["'name' is 'Prod'", withEnvironment({ name: 'Prod' })], ["'namespace' is 'Shop_NS'", withEnvironment({ namespace: 'Shop_NS' })],
  ["'environments' is 'production'", { ...definition(), environments: [fleet.environments[1], fleet.environments[1]] }],
  ["'services' is 'api'", { ...definition(), services: [fleet.services[0], fleet.services[0]] }],
  ["'port' is 0", withService({ port: 0 })], ["'port' is 70000", withService({ port: 70000 })], ["'port' is 80.5", withService({ port: 80.5 })],
  ["'imageRepository' is 'ghcr.io/Acme/api'", withService({ imageRepository: 'ghcr.io/Acme/api' })], ["'imageRepository' is 'api'", withService({ imageRepository: 'api' })],
  ["'imageRepository' is 'ghcr.io/acme/$(id)': is not an image repository", withService({ imageRepository: 'ghcr.io/acme/$(id)' })],
  ["'imageRepository' is 'acme/api': is not an image repository", withService({ imageRepository: 'acme/api' })],
  ["'imageRepository' is 'ghcr.io/acme/api/'", withService({ imageRepository: 'ghcr.io/acme/api/' })],
  ["'imageRepository' is 'ghcr.io/acme/a b'", withService({ imageRepository: 'ghcr.io/acme/a b' })],
  ["'imageRepository' is 'ghcr.io/acme/api:1'", withService({ imageRepository: 'ghcr.io/acme/api:1' })],
  ["'language' is unset", withService({ language: undefined as never })], ["'language' is 'python'", withService({ language: 'python' as never })],
  [`'name' is '${'a'.repeat(57)}'`, withService({ name: 'a'.repeat(57) })], ["'name' is 'API'", withService({ name: 'API' })],
  ["'overrides' is 'prod'", withService({ overrides: { prod: {} } })], ["'environments' is 'qa'", withService({ environments: ['qa'] })],
  ["'readinessPath' is 'healthz'", withService({ readinessPath: 'healthz' })], ["'readinessPath' is '/health z'", withService({ readinessPath: '/health z' })],
  ["'readinessPath' is '/a\\nb'", withService({ readinessPath: '/a\nb' })], ["'readinessPath' is ''", withService({ readinessPath: '' })],
  ["'prometheusAddress' is 'prometheus:9090'", withEnvironment({ prometheusAddress: 'prometheus:9090' })],
  ["'prometheusAddress' is 'ftp://x'", withEnvironment({ prometheusAddress: 'ftp://x' })], ["'prometheusAddress' is 'http://'", withEnvironment({ prometheusAddress: 'http://' })],
  ['makes the root app', { ...definition(), name: 'f'.repeat(50) }],
] as [string, FleetDefinition][]).map(([message, value]) => [`fleet ${message}`, root => synthCommand(new Fleet(value), root, []), message]);

/** Writes `content` to a file under the repository: the bad state a synth then meets. */
const writing = (file: string, content: string) => (root: string) => {
  fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  fs.writeFileSync(path.join(root, file), content);
};
const synth = (root: string) => synthCommand(fleet, root, []);
const state: Probe[] = [
  ['a stray file in releases/', synth, "releases/notes.txt: 'file' is 'notes.txt': is no pin file of an environment of the fleet", writing('releases/notes.txt', 'x')],
  ['a pin file of no environment', synth, "releases/qa.json: 'file' is 'qa.json'", writing('releases/qa.json', '{}')],
  ['a service pinned twice', synth, 'names a service twice, and only the last pin would count', writing('releases/staging.json', `{"api": "${image('api')}", "api": "${image('api', OTHER_DIGEST)}"}`)],
  ['invalid json', synth, "releases/staging.json: 'content' is", writing('releases/staging.json', '{"api": ')],
  ['an array of pins', synth, "releases/staging.json: 'content' is []: must be an object", writing('releases/staging.json', '[]')],
  ['a number pin', synth, "releases/staging.json: 'api' is 1: a pin must be a string", writing('releases/staging.json', '{"api": 1}')],
  ['a tag without digest', synth, 'has a tag but no digest', writing('releases/staging.json', '{"api": "ghcr.io/acme/api:1.0"}')],
  ['latest', synth, "uses the tag 'latest' and no digest", writing('releases/staging.json', '{"api": "ghcr.io/acme/api:latest"}')],
  ['a short digest', synth, 'is not a valid image reference', writing('releases/staging.json', '{"api": "ghcr.io/acme/api@sha256:abc"}')],
  ['a pin of no service', synth, "releases/staging.json: 'db' is", writing('releases/staging.json', `{"db": "${image('db')}"}`)],
  ["another service's image", synth, "is not from 'ghcr.io/acme/api'", writing('releases/staging.json', `{"api": "${image('web')}"}`)],
  ['a broken build record', (root: string) => releaseCommand(fleet, root, ['--service', 'api', '--env', 'staging', '--image', image('api'), '--source-commit', 'abcdef1', '--built-at', '2026-01-01T00:00:00Z']),
    "releases/staging.builds.json: 'api' is {}: must be {image, commit, builtAt}", writing('releases/staging.builds.json', '{"api": {}}')],
  ['a pin file that is a folder', synth, "releases/staging.json: 'type' is 'folder': must be a file of pins; move releases/staging.json out of the way", root => {
    fs.rmSync(path.join(root, 'releases/staging.json'));
    fs.mkdirSync(path.join(root, 'releases/staging.json'));
  }],
  ['a journal naming a tree outside the repository', (root: string) => releaseCommand(fleet, root, ['--service', 'api', '--env', 'staging', '--image', image('api')]),
    "'tree' is '../../somewhere': the journal of an interrupted commit must be dist/ or a folder inside it, so it was set aside and nothing was rolled forward",
    writing('.synth-commit.json', JSON.stringify({ staging: '.synth-staging-x', tree: '../../somewhere', otherFiles: [], command: 'release', startedAt: 'T', files: 0, manifest: '' }))],
  ['a journal next to an incomplete staging folder', synth, 'the journal of an interrupted commit staged dist/staging/api/a.yaml, which is missing or differs from the manifest', root => {
    writing('.synth-staging-x/.manifest.json', JSON.stringify([['dist/staging/api/a.yaml', 'f'.repeat(64)]]))(root);
    fs.mkdirSync(path.join(root, '.synth-staging-x/dist'));
    const manifest = createHash('sha256').update(fs.readFileSync(path.join(root, '.synth-staging-x/.manifest.json'))).digest('hex');
    writing('.synth-commit.json', JSON.stringify({ staging: '.synth-staging-x', tree: 'dist', otherFiles: [], command: 'synth', startedAt: 'T', files: 1, manifest }))(root);
  }],
  ['a journal cut short', synth, '.synth-commit.json.rejected-', writing('.synth-commit.json', '{"staging": ".synth-st')],
  ['build records that are no object', synth, "releases/staging.builds.json: 'content' is []: must be an object of service name to build record", writing('releases/staging.builds.json', '[]')],
  ['a pin removing a deployed service', synth, "prune guard: 'dist/production/web' is 'removed'", writing('releases/production.json', `{"api": "${image('api')}"}`)],
];

const commands: Probe[] = [
  ['release: an unknown service', root => releaseCommand(fleet, root, ['--service', 'db', '--env', 'staging', '--image', image('db')]), "'--service' is 'db': is not a service of the fleet"],
  ['release: an unknown environment', root => releaseCommand(fleet, root, ['--service', 'api', '--env', 'qa', '--image', image('api')]), "'--env' is 'qa'"],
  ['release: a malformed image', root => releaseCommand(fleet, root, ['--service', 'api', '--env', 'staging', '--image', 'ghcr.io/acme/api@sha256:xyz']), "release: '--image' is"],
  ['release: no registry', root => releaseCommand(fleet, root, ['--service', 'api', '--env', 'staging', '--image', `acme/api@sha256:${DIGEST}`]), 'has no registry host'],
  ['release: latest', root => releaseCommand(fleet, root, ['--service', 'api', '--env', 'staging', '--image', 'ghcr.io/acme/api:latest']), "uses the tag 'latest'"],
  ["release: another service's image", root => releaseCommand(fleet, root, ['--service', 'api', '--env', 'staging', '--image', image('web')]), "is not from 'ghcr.io/acme/api'"],
  ['release: no image', root => releaseCommand(fleet, root, ['--service', 'api', '--env', 'staging']), "'--image' is unset: is required"],
  ['release: an unknown flag', root => releaseCommand(fleet, root, ['--service', 'api', '--envv', 'staging']), "unknown option '--envv'"],
  ['release: a positional argument', root => releaseCommand(fleet, root, ['api']), "release: 'argv' is 'api'"],
  ['release: a bad source commit', root => releaseCommand(fleet, root, ['--service', 'api', '--env', 'staging', '--image', image('api'), '--source-commit', 'HEAD', '--built-at', '2026-01-01T00:00:00Z']), "'--source-commit' is 'HEAD'"],
  ['release: a bad build time', root => releaseCommand(fleet, root, ['--service', 'api', '--env', 'staging', '--image', image('api'), '--source-commit', 'abcdef1', '--built-at', 'now']), "'--built-at' is 'now'"],
  ['promote: to itself', root => promoteCommand(fleet, root, ['--service', 'api', '--from', 'staging', '--to', 'staging']), "'--to' is 'staging': must differ"],
  ['promote: backwards', root => promoteCommand(fleet, root, ['--service', 'api', '--from', 'production', '--to', 'staging']), 'comes before'],
  ['promote: an unknown environment', root => promoteCommand(fleet, root, ['--service', 'api', '--from', 'staging', '--to', 'qa']), "'--to' is 'qa'"],
  ['promote: no service', root => promoteCommand(fleet, root, ['--from', 'staging', '--to', 'production']), "'--service' is unset"],
  ['rollback: no history', root => rollbackCommand(fleet, root, ['--service', 'api', '--env', 'staging']), 'has no earlier pin of api'],
  ['rollback: an unknown service', root => rollbackCommand(fleet, root, ['--service', 'db', '--env', 'staging']), "'--service' is 'db'"],
  ['rollback: to a digest never deployed', root => rollbackCommand(fleet, root, ['--service', 'web', '--env', 'production', '--to', image('web')]), "rollback: '--to' is 'ghcr.io/acme/web@sha256:" + DIGEST + "': was never deployed in production"],
  ["rollback: another service's image", root => rollbackCommand(fleet, root, ['--service', 'api', '--env', 'staging', '--to', image('web')]), "is not from 'ghcr.io/acme/api'"],
  ['plan: a report in dist/', root => planCommand(root, ['--out', 'dist/plan']), "plan: '--out' is 'dist/plan'"],
  ['synth: an unknown flag', root => synthCommand(fleet, root, ['--force']), "unknown option '--force'"],
  ['release: an empty image', root => releaseCommand(fleet, root, ['--service', 'api', '--env', 'staging', '--image', '']), "'--image' is '': is required"],
  ['promote: past an environment without a reason', root => promoteCommand(new Fleet({ ...definition(), environments: [fleet.environments[0], { name: 'qa', cluster: fleet.environments[0].cluster, namespace: 'shop-qa' }, fleet.environments[1]] }), root, ['--service', 'api', '--from', 'staging', '--to', 'production']), 'skips qa in the promotion order'],
  ['promote: nothing pinned at the source', root => promoteCommand(fleet, root, ['--service', 'api', '--from', 'staging', '--to', 'production']), "'--from' is 'staging': service 'api' has no pin there", writing('releases/staging.json', `{"web": "${image('web')}"}`)],
  ['rollback: to what runs now', root => rollbackCommand(fleet, root, ['--service', 'web', '--env', 'staging', '--to', JSON.parse(fs.readFileSync(path.join(root, 'releases/staging.json'), 'utf-8')).web]), 'is what web runs in staging already'],
  ['plan: an unknown flag', root => planCommand(root, ['--all']), "unknown option '--all'"],
  ['plan: a report outside the repository', root => planCommand(root, ['--out', '../elsewhere']), "plan: '--out' is '../elsewhere': is outside the repository; write reports inside the repository, e.g. reports/plan"],
  ['plan: a report at an absolute path', root => planCommand(root, ['--out', '/tmp']), "plan: '--out' is '/tmp': is outside the repository"],
  ['simulate: a report outside the repository', root => simulateCommand(root, ['--out', '../x']), "simulate: '--out' is '../x': is outside the repository"],
  ['review:publish: a file outside the repository appended', root => publishReviewCommand(fleet, root, ['--base', 'main', '--api', 'https://forgejo.example/api/v1', '--repo', 'a/b', '--pr', '1', '--sha', 'abcdef1', '--append', '/etc/passwd'], 'token'),
    "review:publish: '--append' is '/etc/passwd': is outside the repository; pass a report the workflow wrote"],
  ['analysis:check: no Prometheus address', root => analysisCheckCommand(fleet, root, []), "'--prometheus' is unset: is required"],
  ['analysis:check: an address that is no url', root => analysisCheckCommand(fleet, root, ['--prometheus', 'localhost:9090']), "'--prometheus' is 'localhost:9090': must be an http(s) url"],
  ['analysis:check: an unknown environment', root => analysisCheckCommand(fleet, root, ['--prometheus', 'http://p', '--env', 'qa']), "'--env' is 'qa'"],
  ['simulate: a run count that is none', root => simulateCommand(root, ['--runs', 'many']), "simulate: '--runs' is 'many'"],
  ['simulate: a report in dist/', root => simulateCommand(root, ['--out', 'dist/x']), "simulate: '--out' is 'dist/x'"],
  ['bench: a service count that is none', () => benchCommand(ROOT, ['--services', 'x']), "bench: '--services' is 'x'"],
  ['bench: no environments', () => benchCommand(ROOT, ['--envs', '0']), "bench: '--envs' is '0'"],
];

const intended: [string, (root: string) => unknown][] = [
  ['a success rate of 1', root => synthCommand(new Fleet(withSettings({ minSuccessRate: 1 })), root, ['--allow-prune'])],
  ['a config key named like a secret, with why it is none', root => synthCommand(new Fleet(withSettings({
    config: { TOKEN_ISSUER_URL: 'https://auth.example.com/' }, notSecret: { TOKEN_ISSUER_URL: 'the issuer url, public' },
  })), root, [])],
  ['three increasing weights', root => synthCommand(new Fleet(withSettings({ canaryWeights: [5, 20, 60] })), root, [])],
  ['an autoscaler from 2 to 2', root => synthCommand(new Fleet(withSettings({ autoscaling: { minReplicas: 2, maxReplicas: 2 } })), root, [])],
  ['a release with its build', root => releaseCommand(fleet, root, ['--service', 'api', '--env', 'staging', '--image', image('api'), '--source-commit', 'abcdef1', '--built-at', '2026-01-01T00:00:00Z'])],
  ['a rollback to a given image, with a reason', root => rollbackCommand(fleet, root, ['--service', 'web', '--env', 'production', '--to', image('web'), '--override', 'hotfix'])],
];

describe('probe of bad inputs', () => {
  // Every row has all four values: jest-each would take a missing last one for a done callback.
  const probes = [...settings, ...fleetDefinitions, ...state, ...commands]
    .map(([name, run, message, setup]) => [name, run, message, setup ?? null] as const);

  test('GIVEN the probe WHEN counted THEN it holds at least 120 bad inputs', () => {
    expect(probes.length).toBeGreaterThanOrEqual(120);
  });

  test.each(probes)('GIVEN %s WHEN run THEN one clean error names it and no output changes', async (_, run, message, setup) => {
    const root = tempRepo();
    setup?.(root);
    const before = readTree(root);
    let error: unknown;
    try {
      await run(root);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(message);
    // Every line of the error reads `where: 'field' is value: rule; fix` (one line, or a count and one per problem).
    for (const line of (error as Error).message.split('\n').slice((error as Error).message.includes('problems found:') ? 1 : 0)) {
      expect(line.replace(/^ {2}- /, '')).toMatch(/^.+?: '[^']*' is .+: .+; .+$/);
    }
    const after = readTree(root);
    for (const folder of ['dist/', 'releases/', '.forgejo/']) {
      expect([...after].filter(([f]) => f.startsWith(folder))).toEqual([...before].filter(([f]) => f.startsWith(folder)));
    }
  });

  test.each(intended)('GIVEN %s WHEN run THEN it is accepted', (_, run) => {
    expect(() => run(tempRepo())).not.toThrow();
  });

  test.each<[string, (root: string) => unknown]>([
    ['synthesized', root => synthCommand(fleet, root, [])],
    ['released, which rewrites that folder alone', root => releaseCommand(fleet, root, ['--service', 'api', '--env', 'staging', '--image', `ghcr.io/acme/api@sha256:${DIGEST}`])],
  ])('GIVEN a hand-made file under dist/ in a Git checkout WHEN %s THEN it is refused rather than deleted', (_, run) => {
    const root = tempRepo();
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: root, stdio: 'pipe' });
    git('init', '--quiet');
    git('add', '-A');
    git('commit', '--quiet', '-m', 'state');
    fs.writeFileSync(path.join(root, 'dist/staging/api/extra.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: extra }\n');
    const before = readTree(root);
    expect(() => run(root)).toThrow("prune guard: 'dist/staging/api/extra.yaml' is 'not synthesized': is a file no synth writes and Git does not hold");
    expect(readTree(root)).toEqual(before);
  });
});

describe('random command lines', () => {
  /** Runs a command as bin/infra.ts does, and returns what it printed on stderr and its exit code. */
  async function run(command: () => string) {
    const err: string[] = [];
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const error = jest.spyOn(console, 'error').mockImplementation(m => { err.push(String(m)); });
    const exitCode = process.exitCode;
    try {
      await runCommand(command);
      return { err, code: process.exitCode ?? 0 };
    } finally {
      process.exitCode = exitCode;
      log.mockRestore();
      error.mockRestore();
    }
  }

  const value = fc.oneof(
    fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('api', 'web', 'staging', 'production', '', '-', '--', '../..', '/etc/passwd', '1', '9'.repeat(400)),
    fc.constantFrom(image('api'), image('web'), `ghcr.io/acme/api:v1@sha256:${OTHER_DIGEST}`, 'ghcr.io/acme/api:latest', `ghcr.io/acme/$(id)@sha256:${DIGEST}`),
    fc.constantFrom('2026-01-01T00:00:00Z', '1', '2999-01-01T00:00:00Z', '0000-00-00T00:00:00Z', 'abcdef1', 'HEAD'),
  );
  /** A value each flag accepts, so that some command lines succeed. */
  const accepted: Record<string, fc.Arbitrary<string>> = {
    '--service': fc.constant('api'), '--env': fc.constantFrom('staging', 'production'), '--from': fc.constant('staging'),
    '--to': fc.constant('production'),
    '--image': fc.stringMatching(/^[0-9a-f]{64}$/).map(digest => image('api', digest)),
    '--source-commit': fc.constant('abcdef1'), '--built-at': fc.constant('2026-01-01T00:00:00Z'),
    '--override': fc.constant('hotfix'),
  };
  // Each flag of the command, mostly with a value it accepts, then a few more flags of any kind.
  const argv = (flags: readonly string[], own: Record<string, fc.Arbitrary<string>>) => fc.tuple(
    fc.tuple(...flags.map(flag => fc.option(
      fc.oneof({ arbitrary: own[flag] ?? accepted[flag], weight: 4 }, { arbitrary: value, weight: 1 }).map(v => [flag, v]), { freq: 3 },
    ))),
    fc.option(fc.tuple(fc.constantFrom(...flags, '--help', '--x'), value), { freq: 2 }),
  ).map(([known, more]) => [...known.flatMap(pair => pair ?? []), ...more ?? []]);
  const stagingApi = JSON.parse(fs.readFileSync(path.join(FIXTURE_ROOT, 'releases/staging.json'), 'utf-8')).api as string;
  const cases: [string, readonly string[], (root: string, args: string[]) => string, Record<string, fc.Arbitrary<string>>][] = [
    ['release', ['--service', '--env', '--image', '--source-commit', '--built-at'], (root, args) => releaseCommand(fleet, root, args), {}],
    ['promote', ['--service', '--from', '--to', '--override'], (root, args) => promoteCommand(fleet, root, args), {}],
    ['rollback', ['--service', '--env', '--to', '--override'], (root, args) => rollbackCommand(fleet, root, args), { '--to': fc.constantFrom(image('api', OTHER_DIGEST), stagingApi) }],
  ];

  test.each(cases)('GIVEN random flags WHEN %s runs THEN it succeeds, or prints one error line and changes nothing, never a stack trace', async (_, flags, command, own) => {
    const root = tempRepo();
    let succeeded = 0;
    await fc.assert(fc.asyncProperty(argv(flags, own), async args => {
      const before = readTree(root);
      const { err, code } = await run(() => command(root, args));
      if (code === 0) {
        succeeded++;
        return;
      }
      expect(err).toHaveLength(1);
      expect(err[0]).toMatch(/^error: [^\n]+$/);
      expect(readTree(root)).toEqual(before);
    }), { numRuns: 80, seed: 27 });
    expect(succeeded).toBeGreaterThan(0);
  }, 120_000);
});
