import * as fs from 'fs';
import * as path from 'path';
import { Duration } from 'cdk8s';
import { releaseCommand } from '../../cli/release';
import { REVIEW_COMMAND, reviewCommand, reviewRepository } from '../../cli/review';
import { rollbackCommand } from '../../cli/rollback';
import { synthCommand } from '../../cli/synth';
import { verdictCommand } from '../../cli/verdict';
import { Routing } from '../../lib/patterns';
import { Fleet, ServiceDefinition } from '../../model';
import { fleet } from '../fixtures/fleet';
import { DIGEST, gitRepo, readTree } from '../helpers';

/** The example fleet with one service's production settings changed. */
function fleetWith(service: string, production: NonNullable<ServiceDefinition['overrides']>[string]): Fleet {
  return new Fleet({
    name: fleet.name, repoUrl: fleet.repoUrl, environments: [...fleet.environments],
    services: fleet.services.map(s => (s.name === service
      ? { ...s, overrides: { ...s.overrides, production: { ...s.overrides?.production, ...production } } }
      : s)),
  });
}

const review = (root: string, reviewed: Fleet = fleet) => reviewCommand(reviewed, root, ['--base', 'main']);

describe('review', () => {
  test('GIVEN a branch that loosens a threshold WHEN reviewed THEN the line says how, the flag is high, and a trailer approves it', () => {
    const { root, git, editFleet } = gitRepo();
    editFleet();
    const looser = fleetWith('web', { maxLatency: Duration.millis(900) });
    synthCommand(looser, root, []);
    const output = review(root, looser);
    expect(output).toContain('- production/web: latency-p99 threshold 0.5 → 0.9 (looser)');
    expect(output).toContain('| high | `threshold-loosened` | production/web | latency-p99: <= 0.5 → <= 0.9 |');
    expect(output).toContain('unapproved high-severity flags: threshold-loosened');
    expect(output).not.toContain('unexplained-dist-change');
    expect(output.split('\n').pop()).toBe('wrote reports/review/review.md and reports/review/review.json');
    const json = JSON.parse(fs.readFileSync(path.join(root, 'reports/review/review.json'), 'utf-8'));
    expect(json.flags).toContainEqual({ severity: 'high', rule: 'threshold-loosened', where: 'production/web', detail: 'latency-p99: <= 0.5 → <= 0.9' });
    expect(fs.readFileSync(path.join(root, 'reports/review/review.md'), 'utf-8')).toContain('<details><summary>dist/production/web/analysistemplate-web-canary.yaml');

    git('add', '-A');
    git('commit', '--quiet', '-m', 'looser\n\nreview-approved: threshold-loosened');
    expect(review(root, looser)).toContain('every high-severity flag is approved');
  });

  test('GIVEN a config key named like a secret let through with notSecret WHEN reviewed THEN the key and its reason are a medium opt-out flag', () => {
    // GIVEN api's production config gaining TOKEN_ISSUER_URL with its reason, synthesized
    const { root, editFleet } = gitRepo();
    editFleet();
    const opted = fleetWith('api', { config: { LOG_LEVEL: 'info', TOKEN_ISSUER_URL: 'https://auth.example.com/' }, notSecret: { TOKEN_ISSUER_URL: 'the issuer url, public' } });
    synthCommand(opted, root, []);
    // WHEN reviewed
    const output = review(root, opted);
    // THEN the report names the key and the reason, at the severity of every opt-out
    expect(output).toContain('- production/api: opts out of not-secret TOKEN_ISSUER_URL: the issuer url, public');
    expect(output).toMatch(/\| medium \| `opt-out-added` \| production\/api: ConfigMap\/api-config-[0-9a-f]{10} \| opts out of not-secret TOKEN_ISSUER_URL: the issuer url, public \|/);
  });

  test('GIVEN one image released WHEN reviewed against its parent THEN the review is short, names both digests and asks for no approval', () => {
    const { root } = gitRepo();
    const image = `ghcr.io/acme/web@sha256:${DIGEST}`;
    releaseCommand(fleet, root, ['--service', 'web', '--env', 'staging', '--image', image]);
    const output = review(root);
    expect(output.split('\n').length).toBeLessThanOrEqual(40);
    expect(output).toMatch(new RegExp(`- staging/web: image ghcr.io/acme/web\\S*@sha256:[0-9a-f]{64} → ${image.replace(/[.]/g, '\\.')}`));
    expect(output).not.toContain('approved');
    expect(output).toContain('wrote reports/review/review.md and reports/review/review.json');
  });

  test('GIVEN fleet.ts changed but dist/ not synthesized WHEN reviewed THEN the stale dist/ is a high-severity flag, not "nothing changes"', () => {
    const { root } = gitRepo();
    const output = review(root, fleetWith('api', { minSuccessRate: 0.95 }));
    expect(output).toContain('| high | `stale-dist` | dist/ | dist/production/api/analysistemplate-api-canary.yaml is not what fleet.ts and releases/ synthesize: run npm run synth and commit the result |');
    expect(output).toContain('unapproved high-severity flags: stale-dist');
  });

  test('GIVEN a digest released straight to production WHEN reviewed THEN it is flagged as never having run in staging', () => {
    const { root } = gitRepo();
    const image = `ghcr.io/acme/api@sha256:${DIGEST}`;
    releaseCommand(fleet, root, ['--service', 'api', '--env', 'production', '--image', image]);
    const output = review(root);
    expect(output).toContain('- production/api: image ghcr.io/acme/api:2.0.0@sha256:');
    expect(output).toContain(`→ ${image}`);
    expect(output).toContain(`| high | \`digest-not-in-previous-environment\` | production/api | sha256:${DIGEST} was never pinned in staging |`);
    expect(output).toContain('| medium | `production` | production | changes api in production |');
  });

  test('GIVEN a rollback that pins a quarantined digest again, past its gate WHEN reviewed THEN the pin change is a high-severity flag naming the run', () => {
    // GIVEN staging's api released, aborted by a failed analysis and reverted, each committed
    const { root, git } = gitRepo();
    const bad = `ghcr.io/acme/api@sha256:${DIGEST}`;
    releaseCommand(fleet, root, ['--service', 'api', '--env', 'staging', '--image', bad]);
    git('commit', '--quiet', '-am', 'release');
    verdictCommand(fleet, root, ['--env', 'staging', '--service', 'api', '--image', bad, '--verdict', 'aborted', '--analysis-run', 'api-6d9f7c-2', '--at', '2026-12-03T09:00:00Z'], new Date('2026-12-03T10:00:00Z'));
    git('add', '-A');
    git('commit', '--quiet', '-m', 'verdict');
    // WHEN a rollback to the pin before (the aborted digest) is overridden, and the change reviewed
    rollbackCommand(fleet, root, ['--service', 'api', '--env', 'staging', '--override', 'INC-44']);
    const output = reviewCommand(fleet, root, ['--base', 'HEAD']);
    // THEN the review flags it at high severity, though staging has no environment before it
    expect(output).toContain(`| high | \`digest-quarantined\` | staging/api | sha256:${DIGEST} is quarantined: AnalysisRun api-6d9f7c-2 failed it in staging |`);
    expect(output).toContain('unapproved high-severity flags: digest-quarantined');
  });

  test('GIVEN a service unpinned from production WHEN reviewed THEN its prune is flagged', () => {
    const { root } = gitRepo();
    const pins = JSON.parse(fs.readFileSync(path.join(root, 'releases/production.json'), 'utf-8'));
    delete pins.web;
    fs.writeFileSync(path.join(root, 'releases/production.json'), `${JSON.stringify(pins, null, 2)}\n`);
    synthCommand(fleet, root, ['--allow-prune']);
    const output = review(root);
    expect(output).toContain('| high | `prune` | production/web | argo cd prunes everything the service runs here |');
    expect(output).toMatch(/- service web leaves production: argo cd prunes its \d+ objects/);
    expect(output).not.toContain('Rollout/web removed');
  });

  test('GIVEN a routing change that needs another kind WHEN reviewed THEN the widened AppProject is flagged', () => {
    const { root, editFleet } = gitRepo();
    editFleet();
    const nginx = fleetWith('web', { routing: Routing.nginx({ host: 'shop.example.com' }) });
    synthCommand(nginx, root, []);
    const output = review(root, nginx);
    expect(output).toMatch(/\| high \| `permissions-widened` \| AppProject shop-production \| namespaceResourceWhitelist gains .*"kind":"Ingress"/);
  });

  test('GIVEN dist/ edited by hand WHEN reviewed THEN the change is flagged as unexplained', () => {
    const { root } = gitRepo();
    const file = path.join(root, 'dist/staging/web/rollout-web.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf-8').replace('replicas: 2', 'replicas: 9'));
    expect(review(root)).toContain('| high | `unexplained-dist-change` | dist/ |');
  });

  test.each([
    ['an unknown base', ['--base', 'nope'], "review: '--base' is 'nope': is not a commit of this repository; name a branch, tag or commit, e.g. --base origin/main"],
    ['a report folder under dist/', ['--base', 'main', '--out', 'dist/review'], "review: '--out' is 'dist/review': argo cd reads every yaml file under dist/"],
    ['no base', [], "review: '--base' is unset: is required"],
  ])('GIVEN %s WHEN reviewed THEN one error line names the fix and nothing is written', (_, argv, message) => {
    const { root } = gitRepo();
    const before = readTree(root);
    expect(() => reviewCommand(fleet, root, argv)).toThrow(message);
    expect(readTree(root)).toEqual(before);
  });

  test('GIVEN a pull request\'s head committed and the working tree at its base WHEN reviewed with a head THEN the head is read from Git alone, trailers included', () => {
    const { root, git } = gitRepo();
    const file = path.join(root, 'dist/staging/web/rollout-web.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf-8').replace('replicas: 2', 'replicas: 9'));
    git('commit', '--quiet', '-am', 'by hand\n\nreview-approved: unexplained-dist-change');
    git('checkout', '--quiet', 'main');
    // The working tree is the base's: the review sees the change only through the head commit.
    expect(reviewRepository(fleet, root, 'main').markdown).not.toContain('unexplained-dist-change');
    const { markdown, unapproved } = reviewRepository(fleet, root, 'main', undefined, 'change');
    expect(markdown).toContain('| high | `unexplained-dist-change` | dist/ |');
    expect(unapproved).toEqual([]);
    expect(() => reviewRepository(fleet, root, 'main', undefined, 'refs/remotes/pull/head')).toThrow(
      "review: '--head' is 'refs/remotes/pull/head': is not a commit of this repository; fetch the pull request's head first",
    );
  });

  test('GIVEN a pending commit journal WHEN reviewed THEN stderr warns how to complete it', async () => {
    const { root } = gitRepo();
    fs.writeFileSync(path.join(root, '.synth-commit.json'), '{}');
    const said: string[] = [];
    await REVIEW_COMMAND.run({ root, fleet: () => fleet, progress: m => said.push(m) }, ['--base', 'main']);
    expect(said).toEqual(['warning: .synth-commit.json: a commit interrupted by a crash is pending, so dist/ and releases/ may hold a mix of two states; run npm run synth to complete it']);
  });
});
