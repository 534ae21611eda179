import { execFileSync, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { releaseCommand } from '../../../cli/release';
import { systemProblem } from '../../../cli/support/command';
import { COMMIT_POINTS } from '../../../delivery/commit';
import { fleet } from '../../fixtures/fleet';
import { DIGEST, ROOT, readTree, tempRepo } from '../../helpers';

// The crash and concurrency suites of the commit: real processes killed at every commit point, and
// pipelines racing in one checkout. They take most of a minute, so they run with the integration tests.
const RUN_TS = path.join(ROOT, 'scripts/run-ts.cjs');
/** Runs test/scripts/release-loop.ts, as the commands run: `count` releases of `service` (or synths) into `root`. */
const loop = (root: string, service: string, count: number, env: NodeJS.ProcessEnv = {}) => ['node', [RUN_TS, path.join(ROOT, 'test/scripts/release-loop.ts'), root, service, String(count)], { env: { ...process.env, ...env }, encoding: 'utf-8' as const }] as const;

describe('commitOutputs and recoverOutputs, across processes', () => {
  test.each(COMMIT_POINTS.map(point => [point]))('GIVEN a release killed at %s WHEN the next command runs THEN it finds a complete old or new state and says which', point => {
    const root = tempRepo();
    const before = readTree(root);
    const killed = spawnSync(...loop(root, 'api', 1, { INFRA_FAULT_AT: point }));
    expect(killed.signal).toBe('SIGKILL');
    const after = spawnSync(...loop(root, 'synth', 1));
    expect(after.status).toBe(0);
    const tree = readTree(root);
    const pin = JSON.parse(tree.get('releases/staging.json')!).api as string;
    const rollout = tree.get('dist/staging/api/rollout-api.yaml')!;
    // dist/ always shows the pin releases/ holds: never a mix.
    expect(rollout).toContain(`image: ${pin}`);
    const released = pin !== JSON.parse(before.get('releases/staging.json')!).api;
    expect([point, released]).toEqual([point, point !== 'staged']);
    expect([...tree.keys()].filter(f => f.startsWith('.synth') || f === '.infra.lock')).toEqual([]);
    const said = point === 'staged' ? /^recovered: removed 1 unfinished staging folder; dist\/ and the pins hold the state before/
      : point === 'journal-removed' ? /^recovered: removed what a completed command left behind; dist\/ and the pins hold its new state/
        // A release synthesizes its service's folder alone: the pin is the only other file it commits.
        : /^recovered: completed the release interrupted at .*; dist\/ and releases\/staging\.json hold its new state/;
    expect(after.stdout).toMatch(said);
  });

  test.each(COMMIT_POINTS.map(point => [point]))('GIVEN a synth killed at %s WHEN the next command runs THEN dist/ is whole and matches the pins, and it says what it found', point => {
    const root = tempRepo();
    const before = readTree(root);
    expect(spawnSync(...loop(root, 'synth', 1, { INFRA_FAULT_AT: point })).signal).toBe('SIGKILL');
    const after = spawnSync(...loop(root, 'synth', 1));
    expect(after.status).toBe(0);
    // The synth rewrote what it found, so the whole state is what it was, and nothing is left over.
    expect(readTree(root)).toEqual(before);
    const said = point === 'staged' ? /^recovered: removed 1 unfinished staging folder/
      : point === 'journal-removed' ? /^recovered: removed what a completed command left behind/
        : /^recovered: completed the synth interrupted at .*; dist\/ and \.forgejo\/workflows\/infra\.yaml, \.forgejo\/workflows\/promote\.yaml, \.forgejo\/workflows\/requests\.yaml, \.forgejo\/workflows\/review\.yaml hold its new state/;
    expect(after.stdout).toMatch(said);
  });

  test('GIVEN two pipelines releasing two services into one checkout at once, 50 times each, and a synth looping beside them WHEN done THEN no pin is lost and dist/ matches the pins', async () => {
    const root = tempRepo();
    const run = (service: string) => new Promise<number>(resolve => {
      const [command, args, options] = loop(root, service, 50);
      spawn(command, args, { env: options.env, stdio: 'ignore' }).on('exit', code => resolve(code ?? 1));
    });
    expect(await Promise.all([run('api'), run('web'), run('synth')])).toEqual([0, 0, 0]);
    const pins = JSON.parse(fs.readFileSync(path.join(root, 'releases/staging.json'), 'utf-8'));
    const digest = (service: string) => require('crypto').createHash('sha256').update(`${service}-49`).digest('hex');
    expect(pins).toEqual({ api: `ghcr.io/acme/api@sha256:${digest('api')}`, web: `ghcr.io/acme/web@sha256:${digest('web')}` });
    expect(fs.readFileSync(path.join(root, 'dist/staging/web/rollout-web.yaml'), 'utf-8')).toContain(`image: ${pins.web}`);
    expect(fs.readFileSync(path.join(root, 'dist/staging/api/rollout-api.yaml'), 'utf-8')).toContain(`image: ${pins.api}`);
    expect(DIGEST).not.toBe(digest('api'));
  }, 120_000);

  /** Mounts `folder` read-only over itself for `use`, as a read-only volume would be; false where this machine may not mount. */
  function readOnly(folder: string, use: () => void): boolean {
    try {
      execFileSync('mount', ['--bind', folder, folder], { stdio: 'ignore' });
    } catch {
      return false;
    }
    try {
      execFileSync('mount', ['-o', 'remount,ro,bind', folder], { stdio: 'ignore' });
      use();
    } finally {
      execFileSync('umount', [folder], { stdio: 'ignore' });
    }
    return true;
  }

  test.each(['releases', 'dist'])('GIVEN %s/ on a read-only mount WHEN a release runs THEN one error line names the folder and neither dist/ nor the pins change', folder => {
    const root = tempRepo();
    const before = readTree(root);
    let thrown: unknown;
    const mounted = readOnly(path.join(root, folder), () => {
      try {
        releaseCommand(fleet, root, ['--service', 'api', '--env', 'staging', '--image', `ghcr.io/acme/api@sha256:${DIGEST}`]);
      } catch (e) {
        thrown = e;
      }
    });
    if (!mounted) return console.warn('skipped: this machine may not mount a folder read-only');
    expect(systemProblem(thrown)).toMatch(new RegExp(`^${root}/${folder}(/\\S*)?: '\\w+' is 'EROFS': the file system is read-only; run the command in a writable checkout$`));
    expect(readTree(root)).toEqual(before);
  });
});
