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

  test('GIVEN an image WHEN rolled back to it THEN that image is pinned', () => {
    const root = tempRepo();
    const output = rollbackCommand(fleet, root, ['--service', 'web', '--env', 'production', '--to', `ghcr.io/acme/web@sha256:${DIGEST}`]);
    expect(pinOf(root, 'production', 'web')).toBe(`ghcr.io/acme/web@sha256:${DIGEST}`);
    expect(output).toContain('(given with --to)');
  });

  test('GIVEN a recorded build WHEN rolled back THEN its record goes too, so the next build of any age can be released', () => {
    const root = tempRepo();
    const build = ['--source-commit', 'abcdef1', '--built-at', '2026-11-27T10:00:00Z'];
    releaseCommand(fleet, root, ['--service', 'api', '--env', 'staging', '--image', `ghcr.io/acme/api@sha256:${OTHER_DIGEST}`, ...build]);
    rollbackCommand(fleet, root, ['--service', 'api', '--env', 'staging', '--to', `ghcr.io/acme/api@sha256:${DIGEST}`]);
    expect(JSON.parse(fs.readFileSync(path.join(root, 'releases/staging.builds.json'), 'utf-8'))).toEqual({});
    releaseCommand(fleet, root, ['--service', 'api', '--env', 'staging', '--image', `ghcr.io/acme/api@sha256:${'c'.repeat(64)}`, '--source-commit', 'abcdef2', '--built-at', '2026-11-27T09:00:00Z']);
    expect(pinOf(root, 'staging', 'api')).toBe(`ghcr.io/acme/api@sha256:${'c'.repeat(64)}`);
  });

  test.each([
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
