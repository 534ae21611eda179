import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { releaseCommand } from '../../cli/release';
import { rollbackCommand } from '../../cli/rollback';
import { fleet } from '../fixtures/fleet';
import { DIGEST, OTHER_DIGEST, readTree, tempRepo } from '../helpers';

const pinOf = (root: string, env: string, service: string) => JSON.parse(fs.readFileSync(path.join(root, `releases/${env}.json`), 'utf-8'))[service];

/** A Git checkout whose staging pin of api went DIGEST, then OTHER_DIGEST. */
function repoWithHistory() {
  const root = tempRepo();
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: root, stdio: 'pipe' });
  git('init', '--quiet');
  for (const digest of [DIGEST, OTHER_DIGEST]) {
    releaseCommand(fleet, root, ['--service', 'api', '--env', 'staging', '--image', `ghcr.io/acme/api@sha256:${digest}`]);
    git('add', '-A');
    git('commit', '--quiet', '-m', `release ${digest.slice(0, 4)}`);
  }
  return root;
}

describe('rollback', () => {
  test('GIVEN a pin history in Git WHEN rolled back THEN the pin before the current one returns, and the output says what was reverted', () => {
    const root = repoWithHistory();
    const output = rollbackCommand(fleet, root, ['--service', 'api', '--env', 'staging']);
    expect(pinOf(root, 'staging', 'api')).toBe(`ghcr.io/acme/api@sha256:${DIGEST}`);
    expect(output.split('\n')[0]).toMatch(new RegExp(`^rolled back api in staging: ghcr.io/acme/api@sha256:${OTHER_DIGEST} → ghcr.io/acme/api@sha256:${DIGEST} \\(the pin in releases/staging.json at commit [0-9a-f]{7,}\\)$`));
    expect(fs.readFileSync(path.join(root, 'dist/staging/api/rollout-api.yaml'), 'utf-8')).toContain(`@sha256:${DIGEST}`);
  });

  test('GIVEN an image never deployed there WHEN rolled back to it with --override THEN it is pinned, and the output ends with the trailers the commit records', () => {
    // GIVEN a digest production never ran and staging does not run
    const root = tempRepo();
    // WHEN rolled back to it with a reason
    const output = rollbackCommand(fleet, root, ['--service', 'web', '--env', 'production', '--to', `ghcr.io/acme/web@sha256:${DIGEST}`, '--override', ' hotfix for incident 42 ']);
    // THEN it is pinned, and scripts/commit-and-push.sh finds the gate passed and the reason as the output's last lines (Key: value)
    expect(pinOf(root, 'production', 'web')).toBe(`ghcr.io/acme/web@sha256:${DIGEST}`);
    const lines = output.split('\n');
    expect(lines[0]).toBe(`rolled back web in production: ${pinOf(tempRepo(), 'production', 'web')} → ghcr.io/acme/web@sha256:${DIGEST} (given with --to)`);
    expect(lines.slice(-2)).toEqual([
      `Undeployed-Rollback: sha256:${DIGEST} (never deployed in production nor pinned in staging)`,
      'Override-Reason: hotfix for incident 42',
    ]);
    expect(lines.at(-3)).not.toMatch(/^[A-Z][A-Za-z0-9-]*: /);
  });

  test('GIVEN a digest deployed there before WHEN rolled back to it with --override THEN no gate was passed, and no trailer claims one', () => {
    const root = repoWithHistory();
    const output = rollbackCommand(fleet, root, ['--service', 'api', '--env', 'staging', '--to', `ghcr.io/acme/api@sha256:${DIGEST}`, '--override', 'not needed']);
    expect(pinOf(root, 'staging', 'api')).toBe(`ghcr.io/acme/api@sha256:${DIGEST}`);
    expect(output).not.toMatch(/^(Undeployed-Rollback|Override-Reason): /m);
  });

  test('GIVEN a recorded build WHEN rolled back THEN its record goes too, so the next build of any age can be released', () => {
    const root = tempRepo();
    const build = ['--source-commit', 'abcdef1', '--built-at', '2026-11-27T10:00:00Z'];
    releaseCommand(fleet, root, ['--service', 'api', '--env', 'staging', '--image', `ghcr.io/acme/api@sha256:${OTHER_DIGEST}`, ...build]);
    rollbackCommand(fleet, root, ['--service', 'api', '--env', 'staging', '--to', `ghcr.io/acme/api@sha256:${DIGEST}`, '--override', 'test']);
    expect(JSON.parse(fs.readFileSync(path.join(root, 'releases/staging.builds.json'), 'utf-8'))).toEqual({});
    releaseCommand(fleet, root, ['--service', 'api', '--env', 'staging', '--image', `ghcr.io/acme/api@sha256:${'c'.repeat(64)}`, '--source-commit', 'abcdef2', '--built-at', '2026-11-27T09:00:00Z']);
    expect(pinOf(root, 'staging', 'api')).toBe(`ghcr.io/acme/api@sha256:${'c'.repeat(64)}`);
  });

  test('GIVEN a digest from the pin history WHEN rolled back to it with --to THEN it is pinned without an override', () => {
    const root = repoWithHistory();
    rollbackCommand(fleet, root, ['--service', 'api', '--env', 'staging', '--to', `ghcr.io/acme/api:1.0@sha256:${DIGEST}`]);
    expect(pinOf(root, 'staging', 'api')).toBe(`ghcr.io/acme/api:1.0@sha256:${DIGEST}`);
  });

  test('GIVEN the digest pinned in the environment before WHEN production is rolled back to it THEN it is pinned without an override', () => {
    const root = tempRepo();
    const staging = pinOf(root, 'staging', 'api');
    rollbackCommand(fleet, root, ['--service', 'api', '--env', 'production', '--to', staging]);
    expect(pinOf(root, 'production', 'api')).toBe(staging);
  });

  test.each([
    ['a digest never deployed', ['--service', 'api', '--env', 'production', '--to', `ghcr.io/acme/api@sha256:${DIGEST}`],
      `rollback: '--to' is 'ghcr.io/acme/api@sha256:${DIGEST}': was never deployed in production (no pin of that digest in the Git history of releases/production.json) nor is it pinned in staging; roll back to a digest that ran here, or give --override "why" to record in the commit`],
    ['an empty override', ['--service', 'api', '--env', 'staging', '--to', `ghcr.io/acme/api@sha256:${DIGEST}`, '--override', ' '], "rollback: '--override' is ' ': must be a one-line reason, given with --to"],
    ['an override without --to', ['--service', 'api', '--env', 'staging', '--override', 'x'], "rollback: '--override' is 'x': must be a one-line reason, given with --to"],
    ['no history and no --to', ['--service', 'api', '--env', 'staging'], "rollback: '--to' is unset: releases/staging.json has no earlier pin of api in Git's history; name the image to go back to with --to"],
    ['the image it runs already', ['--service', 'api', '--env', 'staging', '--to', 'CURRENT'], "rollback: '--to' is 'CURRENT': is what api runs in staging already; name an earlier image"],
    ['another service\'s image', ['--service', 'api', '--env', 'staging', '--to', `ghcr.io/acme/web@sha256:${DIGEST}`], "is not from 'ghcr.io/acme/api', the imageRepository of service 'api'"],
  ])('GIVEN %s WHEN rolled back THEN it fails with the fix and nothing changes', (_, argv, message) => {
    const root = tempRepo();
    const current = pinOf(root, 'staging', 'api');
    const args = argv.map(a => (a === 'CURRENT' ? current : a));
    const before = readTree(root);
    expect(() => rollbackCommand(fleet, root, args)).toThrow(message.replace('CURRENT', current));
    expect(readTree(root)).toEqual(before);
  });
});
