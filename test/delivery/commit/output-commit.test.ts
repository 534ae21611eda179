import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { systemProblem } from '../../../cli/support/command';
import { COMMIT_JOURNAL, commitOutputs, pendingCommitWarning, recoverOutputs, writeManifest } from '../../../delivery/commit';
import { readTree } from '../../helpers';

jest.mock('fs', () => {
  const actual = jest.requireActual<typeof import('fs')>('fs');
  // The real open and write, which a test can make fail as a full disk does.
  return { ...actual, openSync: jest.fn(actual.openSync), writeSync: jest.fn(actual.writeSync) };
});

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
/** Every file and link under `dir` by relative path, read without following a link: a file's content, a link's target. */
function entries(dir: string, at = ''): Record<string, string> {
  return Object.assign({}, ...fs.readdirSync(path.join(dir, at)).map(name => {
    const relative = at ? `${at}/${name}` : name;
    const stat = fs.lstatSync(path.join(dir, relative));
    if (stat.isSymbolicLink()) return { [relative]: `link to ${fs.readlinkSync(path.join(dir, relative))}` };
    return stat.isDirectory() ? entries(dir, relative) : { [relative]: fs.readFileSync(path.join(dir, relative), 'utf-8') };
  }));
}
/** A folder outside the repository holding `files`, which nothing in the repository may read or replace. */
function outsideFolder(files: Record<string, string>): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'outside-'));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(folder, file)), { recursive: true });
    fs.writeFileSync(path.join(folder, file), text);
  }
  return folder;
}
const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** What recovery threw, or undefined. */
function recoveryError(root: string): Error | undefined {
  try {
    recoverOutputs(root);
  } catch (e) {
    return e as Error;
  }
  return undefined;
}
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

  const LINK_FIX = (first: string) => `${first}check dist/, releases/ and .forgejo/ with 'git status', restore them with 'git checkout -- dist releases .forgejo' if they differ, then run npm run synth`;
  /** A crash state made by hand with a link in it: the link, its target, the folder outside it reaches, the rule and the first step of the fix. */
  type LinkCase = (root: string, staging: string) => { link: string; target: string; outside?: string; rule: string; first?: string };
  test.each<[string, LinkCase]>([
    ['the staging folder a link to a complete staging folder outside the repository', (root, staging) => {
      journal(root, staging);
      const outside = outsideFolder({});
      const target = path.join(outside, 'staged');
      fs.renameSync(staging, target);
      fs.symlinkSync(target, staging);
      return { link: path.basename(staging), target, outside, rule: 'which is a symbolic link that resolves outside the repository' };
    }],
    ['the moved-aside tree a link to a folder outside the repository, dist/ gone', (root, staging) => {
      journal(root, staging);
      const target = outsideFolder({ 'staging/api/a.yaml': 'outside\n' });
      fs.rmSync(path.join(root, 'dist'), { recursive: true });
      fs.symlinkSync(target, path.join(staging, 'dist.previous'));
      return { link: `${path.basename(staging)}/dist.previous`, target, outside: target, rule: 'which is a symbolic link that resolves outside the repository' };
    }],
    ['a folder above the tree a link outside the repository, which roll-forward would move aside and replace', (root, staging) => {
      journal(root, staging, { tree: 'dist/staging/api' });
      const target = outsideFolder({ 'api/a.yaml': 'outside\n' });
      fs.rmSync(path.join(root, 'dist/staging'), { recursive: true });
      fs.symlinkSync(target, path.join(root, 'dist/staging'));
      return { link: 'dist/staging', target, outside: target, rule: 'which is a symbolic link that resolves outside the repository', first: "remove the link with 'rm dist/staging', then " };
    }],
    ['the pin folder a link outside the repository, where roll-forward would write the pin', (root, staging) => {
      journal(root, staging);
      const target = outsideFolder({ 'staging.json': '{"outside":1}\n' });
      fs.rmSync(path.join(root, 'releases'), { recursive: true });
      fs.symlinkSync(target, path.join(root, 'releases'));
      return { link: 'releases', target, outside: target, rule: 'which is a symbolic link that resolves outside the repository', first: "remove the link with 'rm releases', then " };
    }],
    ['a staged file a link to a file outside the repository, listed in the manifest', (root, staging) => {
      const outside = outsideFolder({ 'secret.yaml': 'kind: Secret\n' });
      const target = path.join(outside, 'secret.yaml');
      fs.rmSync(path.join(staging, 'dist/staging/api/a.yaml'));
      fs.symlinkSync(target, path.join(staging, 'dist/staging/api/a.yaml'));
      journal(root, staging);
      return { link: `${path.basename(staging)}/dist/staging/api/a.yaml`, target, outside, rule: 'which is a symbolic link that resolves outside the repository' };
    }],
    ['dist/ a link to a folder inside the repository', (root, staging) => {
      journal(root, staging);
      fs.renameSync(path.join(root, 'dist'), path.join(root, 'elsewhere'));
      fs.symlinkSync('elsewhere', path.join(root, 'dist'));
      return { link: 'dist', target: 'elsewhere', rule: 'which is a symbolic link', first: "remove the link with 'rm dist', then " };
    }],
  ])('GIVEN a crash state with %s WHEN recovered THEN the journal is set aside, no link is followed, and one error names the link and the fix', (_, setup) => {
    // GIVEN a journal and a staging folder as a kill leaves them, and a link where recovery would read or rename
    const { root, staging } = staged();
    const { link, target, outside, rule, first = '' } = setup(root, staging);
    const outsideNow = () => (outside === undefined ? {} : entries(outside));
    const [before, outsideBefore] = [entries(root), outsideNow()];

    // WHEN the next command recovers
    const error = recoveryError(root);

    // THEN one line names the journal set aside, the link, where it leads and the fix; nothing in or outside the repository moved
    expect(error?.message).toMatch(new RegExp(`^\\.synth-commit\\.json\\.rejected-[0-9T-]+Z: ${escaped(`'${link}' is '${target}': the journal of an interrupted commit reaches ${link}, ${rule}, `
      + `and recovery follows no link, so it was set aside and nothing was rolled forward; ${LINK_FIX(first)}`)}$`));
    const after = entries(root);
    const aside = Object.keys(after).filter(f => f.startsWith('.synth-commit.json.rejected-'));
    expect(aside).toHaveLength(1);
    const { [aside[0]]: setAside, ...rest } = after;
    expect({ ...rest, [COMMIT_JOURNAL]: setAside }).toEqual(before);
    expect(outsideNow()).toEqual(outsideBefore);
    // The next command finds no journal: it removes the staging folder (a link to one, the link alone) and nothing outside.
    recoverOutputs(root);
    expect(outsideNow()).toEqual(outsideBefore);
    expect(Object.keys(entries(root)).filter(f => f.startsWith('.synth-staging-'))).toEqual([]);
  });

  test('GIVEN a journal that is a link to a journal outside the repository WHEN recovered THEN the link is set aside, unread, and one error says so', () => {
    // GIVEN a valid journal outside the repository and a link to it where the journal goes
    const { root, staging } = staged();
    journal(root, staging);
    const target = path.join(outsideFolder({}), 'journal.json');
    fs.renameSync(path.join(root, COMMIT_JOURNAL), target);
    fs.symlinkSync(target, path.join(root, COMMIT_JOURNAL));
    const before = outputs(state(root));
    expect(pendingCommitWarning(root)).toContain('a commit interrupted by a crash is pending');

    // WHEN recovered
    const error = recoveryError(root);

    // THEN it is refused without being read, the link is set aside and the outputs and the file it points to are as they were
    expect(error?.message).toMatch(new RegExp(`^\\.synth-commit\\.json\\.rejected-[0-9T-]+Z: ${escaped(`'.synth-commit.json' is '${target}': the journal of an interrupted commit is a symbolic link `
      + `that resolves outside the repository, and recovery follows no link, so it was set aside and nothing was rolled forward; ${LINK_FIX('')}`)}$`));
    const aside = fs.readdirSync(root).filter(f => f.startsWith('.synth-commit.json.rejected-'));
    expect(aside.map(f => fs.readlinkSync(path.join(root, f)))).toEqual([target]);
    expect(outputs(state(root))).toEqual(before);
    expect(fs.existsSync(target)).toBe(true);
    expect(pendingCommitWarning(root)).toBeUndefined();
  });

  test('GIVEN a folder above the committed tree that is a link outside the repository WHEN committed THEN nothing is renamed and one error names the link and the fix', () => {
    // GIVEN dist/staging a link to a folder outside, and a staged dist/staging/api
    const { root, staging } = staged();
    const target = outsideFolder({ 'api/a.yaml': 'outside\n' });
    fs.rmSync(path.join(root, 'dist/staging'), { recursive: true });
    fs.symlinkSync(target, path.join(root, 'dist/staging'));
    const [before, outsideBefore] = [entries(root), entries(target)];

    // WHEN committed
    let error: Error | undefined;
    try {
      commitOutputs(root, staging, ['releases/staging.json'], 'release', 'dist/staging/api');
    } catch (e) {
      error = e as Error;
    }

    // THEN one line names the link; the repository, but for the staging folder, and the folder outside are as they were
    expect(error?.message).toBe(`dist/staging: 'type' is 'symbolic link': is a symbolic link to ${target} on the way to dist/staging/api, and a commit renames only real files and folders, `
      + "so that it never replaces anything outside the repository; remove the link with 'rm dist/staging' and restore what Git holds there with 'git checkout -- dist/staging', then run the command again");
    expect(entries(root)).toEqual(Object.fromEntries(Object.entries(before).filter(([f]) => !f.startsWith('.synth-staging-'))));
    expect(entries(target)).toEqual(outsideBefore);
  });

  test.each([
    ['ENOSPC', '.manifest.json', 'the staging manifest of dist/', 'the disk is full; free some disk space and run the command again; nothing was committed'],
    ['EDQUOT', '.manifest.json', 'the staging manifest of dist/', 'the disk quota is used up; free some space and run the command again; nothing was committed'],
    ['ENOSPC', `${COMMIT_JOURNAL}.`, 'the commit journal .synth-commit.json', 'the disk is full; free some disk space and run the command again; nothing was committed'],
  ])('GIVEN a disk that fills (%s) while %s is written WHEN committed THEN one error line names it in the user\'s terms, not in the removed staging folder, and nothing changed', (code, written, named, words) => {
    // GIVEN a staged output, and a write(2) to that file failing with no path, as a full disk makes it
    const { root, staging } = staged();
    const before = state(root);
    const actual = jest.requireActual<typeof import('fs')>('fs');
    const opened = new Map<number, string>();
    jest.mocked(fs.openSync).mockImplementation((file, flags, mode) => {
      const fd = actual.openSync(file, flags, mode);
      opened.set(fd, path.basename(String(file)));
      return fd;
    });
    jest.mocked(fs.writeSync).mockImplementation((fd: number, data: string) => {
      if (opened.get(fd)?.startsWith(written)) throw Object.assign(new Error(`${code}: no space left on device, write`), { code, syscall: 'write' });
      return actual.writeSync(fd, data);
    });

    // WHEN committed
    let error: unknown;
    try {
      commitOutputs(root, staging, ['releases/staging.json'], 'release');
    } catch (e) {
      error = e;
    } finally {
      jest.mocked(fs.openSync).mockImplementation(actual.openSync);
      jest.mocked(fs.writeSync).mockImplementation(actual.writeSync);
    }

    // THEN the line the command prints names what was written and the fix; the old state is whole and nothing is left behind
    expect(`error: ${systemProblem(error)}`).toBe(`error: ${named}: 'write' is '${code}': ${words}`);
    expect(state(root)).toEqual(outputs(before));
    expect(fs.readdirSync(root).sort()).toEqual(['dist', 'releases']);
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
