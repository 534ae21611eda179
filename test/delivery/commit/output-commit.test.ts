import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { COMMIT_JOURNAL, commitOutputs, pendingCommitWarning, recoverOutputs, writeManifest } from '../../../delivery/commit';
import { readTree } from '../../helpers';

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
/** The files of dist/ and releases/ in a state. */
const outputs = (files: Record<string, string>) => Object.fromEntries(Object.entries(files).filter(([f]) => /^(dist|releases)\//.test(f)));

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
    expect(outputs(after)).toEqual(outputs(before));
    expect(fs.existsSync(path.join(root, '..', '..', 'somewhere'))).toBe(false);
    // The next command finds no journal: it removes the staging folder and keeps the old state.
    recoverOutputs(root);
    expect(outputs(state(root))).toEqual(outputs(before));
    expect(Object.keys(state(root)).filter(f => f.startsWith('.synth-commit.json.rejected-'))).toHaveLength(1);
  });

  const kindsOf = (n: number) => Array.from({ length: n }, (_, i) => `kind: K${i}\n`).join('---\n');
  test.each<[string, string, Record<string, string>, string]>([
    ['dist/, staged without a service', 'dist', { 'dist/staging/api/a.yaml': 'new\n' },
      "prune guard: 'dist/production' is 'removed': argo cd would prune everything it deployed"],
    ['one folder, staged with one of its ten documents', 'dist/staging/api', { 'dist/staging/api/a.yaml': kindsOf(1) },
      "prune guard: 'dist/' is '9 of 11 documents dropped': 82% is more than the 10% allowed"],
  ])('GIVEN a journal of %s, the live tree already moved aside as a kill leaves it WHEN recovered THEN it is refused, the tree is put back, and dist/ and the pins hold the state before the command', (_, tree, stagedFiles, pruned) => {
    // GIVEN the old dist/ (ten documents of api in staging, and web in production) and a staged tree that drops most of it
    const { root, staging } = staged();
    fs.writeFileSync(path.join(root, 'dist/staging/api/a.yaml'), kindsOf(10));
    fs.mkdirSync(path.join(root, 'dist/production/web'), { recursive: true });
    fs.writeFileSync(path.join(root, 'dist/production/web/a.yaml'), 'kind: A\n');
    fs.rmSync(path.join(staging, 'dist'), { recursive: true });
    for (const [file, text] of Object.entries(stagedFiles)) {
      fs.mkdirSync(path.dirname(path.join(staging, file)), { recursive: true });
      fs.writeFileSync(path.join(staging, file), text);
    }
    const before = outputs(state(root));
    journal(root, staging, { tree });
    const journalText = fs.readFileSync(path.join(root, COMMIT_JOURNAL), 'utf-8');
    fs.renameSync(path.join(root, tree), path.join(staging, 'dist.previous'));
    expect(outputs(state(root))).not.toEqual(before);

    // WHEN the next command recovers
    let error: Error | undefined;
    try {
      recoverOutputs(root);
    } catch (e) {
      error = e as Error;
    }

    // THEN one error names the journal set aside, the guard's problem and the fix; the old tree is back; the pins are as they were
    const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    expect(error?.message).toMatch(new RegExp(`^\\.synth-commit\\.json\\.rejected-[0-9T-]+Z: 'tree' is '${escaped(tree)}': `
      + escaped(`the journal of an interrupted commit would change dist/ past the prune guard (${pruned}; if the removal is intended, run again with --allow-prune `
      + `(npm run synth -- --allow-prune, or ALLOW_PRUNE=1 npx cdk8s synth)), so it was set aside, ${tree}/ was put back as it was, and nothing was rolled forward; ${FIX}`) + '$'));
    expect(outputs(state(root))).toEqual(before);
    const rejected = fs.readdirSync(root).filter(f => f.startsWith('.synth-commit.json.rejected-'));
    expect(rejected).toHaveLength(1);
    expect(fs.readFileSync(path.join(root, rejected[0]), 'utf-8')).toBe(journalText);
    // The next command finds no journal and removes the staging folder, which never committed.
    expect(recoverOutputs(root).message).toBe('recovered: removed 1 unfinished staging folder; dist/ and the pins hold the state before the interrupted command');
    expect(outputs(state(root))).toEqual(before);
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
});
