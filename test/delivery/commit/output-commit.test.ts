import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { COMMIT_JOURNAL, COMMIT_POINTS, commitOutputs, pendingCommitWarning, recoverOutputs, writeManifest } from '../../../delivery/commit';
import { DIGEST, ROOT, readTree, tempRepo } from '../../helpers';

const RUN_TS = path.join(ROOT, 'scripts/run-ts.cjs');
/** Runs test/scripts/release-loop.ts, as the commands run: `count` releases of `service` (or synths) into `root`. */
const loop = (root: string, service: string, count: number, env: NodeJS.ProcessEnv = {}) => ['node', [RUN_TS, path.join(ROOT, 'test/scripts/release-loop.ts'), root, service, String(count)], { env: { ...process.env, ...env }, encoding: 'utf-8' as const }] as const;

/** A repository with an old state and a fully staged new one. */
function staged() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'commit-'));
  fs.mkdirSync(path.join(root, 'dist/staging/api'), { recursive: true });
  fs.writeFileSync(path.join(root, 'dist/staging/api/a.yaml'), 'old\n');
  fs.mkdirSync(path.join(root, 'releases'));
  fs.writeFileSync(path.join(root, 'releases/staging.json'), '{"old":1}\n');
  const staging = fs.mkdtempSync(path.join(root, '.synth-staging-'));
  fs.mkdirSync(path.join(staging, 'dist/staging/api'), { recursive: true });
  fs.writeFileSync(path.join(staging, 'dist/staging/api/a.yaml'), 'new\n');
  fs.mkdirSync(path.join(staging, 'releases'));
  fs.writeFileSync(path.join(staging, 'releases/staging.json'), '{"new":1}\n');
  return { root, staging };
}
/** Writes a journal as commitOutputs does, its manifest listing the staging folder as it is, with `change` applied. */
function journal(root: string, staging: string, change: Record<string, unknown> = {}) {
  const manifest = writeManifest(staging);
  fs.writeFileSync(path.join(root, COMMIT_JOURNAL), JSON.stringify({ staging: path.basename(staging), tree: 'dist', otherFiles: ['releases/staging.json'], command: 'release', startedAt: 'T', ...manifest, ...change }));
}
const state = (root: string) => Object.fromEntries(readTree(root));

describe('commitOutputs and recoverOutputs', () => {
  test('GIVEN a staged output WHEN committed THEN dist/ and the pins change together and nothing is left behind', () => {
    const { root, staging } = staged();
    commitOutputs(root, staging, ['releases/staging.json'], 'release');
    expect(state(root)).toEqual({ 'dist/staging/api/a.yaml': 'new\n', 'releases/staging.json': '{"new":1}\n' });
    expect(recoverOutputs(root)).toEqual({ message: undefined });
  });

  test('GIVEN a journal written and dist/ moved aside, as a kill leaves them WHEN recovered THEN the commit completes and says so', () => {
    const { root, staging } = staged();
    journal(root, staging);
    fs.renameSync(path.join(root, 'dist'), path.join(staging, 'dist.previous'));
    expect(recoverOutputs(root).message).toBe('recovered: completed the release interrupted at T; dist/ and releases/staging.json hold its new state');
    expect(state(root)).toEqual({ 'dist/staging/api/a.yaml': 'new\n', 'releases/staging.json': '{"new":1}\n' });
  });

  test('GIVEN one staged folder of dist/ WHEN committed as the tree THEN that folder and the pins change, and every other file of dist/ keeps its inode', () => {
    const { root, staging } = staged();
    fs.mkdirSync(path.join(root, 'dist/production/api'), { recursive: true });
    fs.writeFileSync(path.join(root, 'dist/production/api/a.yaml'), 'untouched\n');
    const inode = fs.statSync(path.join(root, 'dist/production/api/a.yaml')).ino;

    commitOutputs(root, staging, ['releases/staging.json'], 'release', 'dist/staging/api');

    expect(state(root)).toEqual({ 'dist/production/api/a.yaml': 'untouched\n', 'dist/staging/api/a.yaml': 'new\n', 'releases/staging.json': '{"new":1}\n' });
    expect(fs.statSync(path.join(root, 'dist/production/api/a.yaml')).ino).toBe(inode);
    expect(fs.readdirSync(root).sort()).toEqual(['dist', 'releases']);
  });

  test('GIVEN a journal of one folder, the folder moved aside as a kill leaves it WHEN recovered THEN the commit completes, and the leftover is not taken for an unfinished one', () => {
    const { root, staging } = staged();
    journal(root, staging, { tree: 'dist/staging/api' });
    fs.renameSync(path.join(root, 'dist/staging/api'), path.join(staging, 'dist.previous'));
    expect(recoverOutputs(root).message).toBe('recovered: completed the release interrupted at T; dist/ and releases/staging.json hold its new state');
    expect(state(root)).toEqual({ 'dist/staging/api/a.yaml': 'new\n', 'releases/staging.json': '{"new":1}\n' });
    expect(fs.readdirSync(root).sort()).toEqual(['dist', 'releases']);
  });

  test('GIVEN a staging folder without a journal WHEN recovered THEN it is removed and the old state stays', () => {
    const { root } = staged();
    expect(recoverOutputs(root).message).toBe('recovered: removed 1 unfinished staging folder; dist/ and the pins hold the state before the interrupted command');
    expect(state(root)).toEqual({ 'dist/staging/api/a.yaml': 'old\n', 'releases/staging.json': '{"old":1}\n' });
  });

  const FIX = "check dist/, releases/ and .forgejo/ with 'git status', restore them with 'git checkout -- dist releases .forgejo' if they differ, then run npm run synth";
  test.each<[string, (root: string, staging: string) => void, string]>([
    ['a tree outside the repository', (root, staging) => journal(root, staging, { tree: '../../somewhere' }), "'tree' is '../../somewhere': the journal of an interrupted commit must be dist/ or a folder inside it"],
    ['a pin file outside the repository', (root, staging) => journal(root, staging, { otherFiles: ['../x.json'] }), "'otherFiles' is [\"../x.json\"]: the journal of an interrupted commit must list files inside the repository"],
    ['a staging folder of another name', (root, staging) => journal(root, staging, { staging: '../elsewhere' }), "'staging' is '../elsewhere': the journal of an interrupted commit must name a .synth-staging-* folder"],
    ['an incomplete staging folder', (root, staging) => {
      journal(root, staging);
      fs.rmSync(path.join(staging, 'dist/staging/api/a.yaml'));
    }, 'staged dist/staging/api/a.yaml, which is missing or differs from the manifest'],
    ['a file added to the staging folder', (root, staging) => {
      journal(root, staging);
      fs.writeFileSync(path.join(staging, 'dist/staging/api/b.yaml'), 'b\n');
    }, 'holds files in dist that the manifest does not list'],
    ['no manifest', (root, staging) => fs.writeFileSync(path.join(root, COMMIT_JOURNAL), JSON.stringify({ staging: path.basename(staging), tree: 'dist', otherFiles: [], command: 'release', startedAt: 'T', files: 2, manifest: 'x' })), 'names a staging folder without its manifest'],
    ['a truncated journal', root => fs.writeFileSync(path.join(root, COMMIT_JOURNAL), '{"staging": '), "'content' is"],
    ['an empty object', root => fs.writeFileSync(path.join(root, COMMIT_JOURNAL), '{}'), "'staging' is unset"],
    ['a missing staging folder', (root, staging) => {
      journal(root, staging);
      fs.rmSync(staging, { recursive: true });
    }, 'names a staging folder without its manifest'],
    ['a staged dist/ that drops a service', (root, staging) => {
      fs.mkdirSync(path.join(root, 'dist/production/web'), { recursive: true });
      fs.writeFileSync(path.join(root, 'dist/production/web/a.yaml'), 'kind: A\n');
      journal(root, staging);
    }, "would change dist/ past the prune guard (prune guard: 'dist/production' is 'removed'"],
  ])('GIVEN a journal with %s WHEN recovered THEN it is set aside, nothing is rolled forward, and one error names it and the fix', (_, setup, message) => {
    const { root, staging } = staged();
    setup(root, staging);
    const before = state(root);
    let error: Error | undefined;
    try {
      recoverOutputs(root);
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).toContain(message);
    expect(error?.message).toMatch(/^\.synth-commit\.json\.rejected-[0-9T-]+Z: '.+' is .+: .+; /);
    expect(error?.message).toContain(FIX);
    expect(error?.message.split('\n')).toHaveLength(1);
    const after = state(root);
    const rejected = Object.keys(after).filter(f => f.startsWith('.synth-commit.json.rejected-'));
    expect(rejected).toHaveLength(1);
    expect(after[rejected[0]]).toBe(before[COMMIT_JOURNAL]);
    const outputs = (tree: Record<string, string>) => Object.fromEntries(Object.entries(tree).filter(([f]) => /^(dist|releases)\//.test(f)));
    expect(outputs(after)).toEqual(outputs(before));
    expect(fs.existsSync(path.join(root, '..', '..', 'somewhere'))).toBe(false);
    // The next command finds no journal: it removes the staging folder and keeps the old state.
    recoverOutputs(root);
    expect(outputs(state(root))).toEqual(outputs(before));
    expect(Object.keys(state(root)).filter(f => f.startsWith('.synth-commit.json.rejected-'))).toHaveLength(1);
  });

  test('GIVEN a pending journal WHEN a read-only command asks THEN it is warned how to complete it, and not without one', () => {
    const { root, staging } = staged();
    expect(pendingCommitWarning(root)).toBeUndefined();
    journal(root, staging);
    expect(pendingCommitWarning(root)).toBe('warning: .synth-commit.json: a commit interrupted by a crash is pending, so dist/ and releases/ may hold a mix of two states; run npm run synth to complete it');
  });

  test('GIVEN a folder where the pin file goes WHEN committed THEN nothing is renamed, the staging folder is gone, and the error names the file', () => {
    const { root, staging } = staged();
    fs.rmSync(path.join(root, 'releases/staging.json'));
    fs.mkdirSync(path.join(root, 'releases/staging.json'));
    const before = readTree(path.join(root, 'dist'));
    expect(() => commitOutputs(root, staging, ['releases/staging.json'], 'release')).toThrow("releases/staging.json: 'type' is 'folder': is a folder where the command writes a file; move releases/staging.json out of the way, or restore it with 'git checkout -- releases/staging.json'");
    expect(readTree(path.join(root, 'dist'))).toEqual(before);
    expect(fs.readdirSync(root).sort()).toEqual(['dist', 'releases']);
  });

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
});
