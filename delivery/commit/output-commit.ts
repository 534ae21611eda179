import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { describeProblem, fail } from '../../lib/errors/problem';
import { folderFiles, handMadeFileProblems, stagedPruneProblems } from './prune-guard';

/** The journal of a commit under way, at the repository root; its presence means "roll forward". */
export const COMMIT_JOURNAL = '.synth-commit.json';
/** Staging folders are named with this prefix at the repository root. */
export const STAGING_PREFIX = '.synth-staging-';
/** The folder Argo CD watches. */
export const DIST = 'dist';
/** The list of what a staging folder holds, written in it before the journal: a journal is trusted only if it matches. */
const MANIFEST = '.manifest.json';
/** A journal that failed its checks is renamed with this infix and kept for a person to read, never removed. */
const REJECTED = '.rejected-';
/** Where in its staging folder a commit moves the live tree before it puts the staged one in its place. */
const RETIRED = `${DIST}.previous`;

/** What the journal records: the staging folder, the tree it replaces, the files it holds besides, and its manifest. */
interface Journal {
  readonly staging: string;
  /** `dist/`, or the one folder under it that the command synthesized. */
  readonly tree: string;
  readonly otherFiles: readonly string[];
  readonly command: string;
  readonly startedAt: string;
  /** How many files the manifest lists. */
  readonly files: number;
  /** The sha256 of the manifest, which holds the sha256 of each staged file. */
  readonly manifest: string;
}

/**
 * The points between the commit's steps where a fault-injection test may kill the process
 * (`INFRA_FAULT_AT=<point>`); nothing else reads the variable.
 */
export const COMMIT_POINTS = ['staged', 'journal-written', 'dist-retired', 'dist-placed', 'first-file-placed', 'files-placed', 'journal-removed'] as const;

function faultPoint(point: (typeof COMMIT_POINTS)[number]): void {
  if (process.env.INFRA_FAULT_AT === point) process.kill(process.pid, 'SIGKILL');
}

/**
 * Commits a staged output as one unit: the tree (`dist/`, or one folder of it) and every other staged
 * file (pins, workflows) change together or not at all. The staging folder is complete, and listed in
 * its manifest, before the journal is written; the journal is the commit point. A kill before it leaves
 * the old state (and a staging folder that {@link recoverOutputs} removes); a kill after it leaves a
 * journal that {@link recoverOutputs} checks and completes. Every folder a rename touches is checked
 * for write access before the journal, so a permission fault leaves the old state. A folder cannot be
 * replaced by rename(2), so the live tree is moved into the staging folder first; every other file is
 * replaced by one atomic rename.
 * @param tree what the staging folder holds under the same path: `dist/`, or one folder of it
 */
export function commitOutputs(root: string, staging: string, otherFiles: readonly string[], command: string, tree: string = DIST): void {
  faultPoint('staged');
  let journal: Journal;
  try {
    checkWritable(root, staging, tree, otherFiles);
    const { files, manifest } = writeManifest(staging);
    journal = { staging: path.basename(staging), tree, otherFiles, command, startedAt: new Date().toISOString(), files, manifest };
    writeDurably(path.join(root, `${COMMIT_JOURNAL}.${process.pid}.tmp`), JSON.stringify(journal));
  } catch (e) {
    // Before the commit point nothing is changed: the old state stays whole.
    fs.rmSync(staging, { recursive: true, force: true });
    fs.rmSync(path.join(root, `${COMMIT_JOURNAL}.${process.pid}.tmp`), { force: true });
    throw inUserTerms(e, root, staging, tree);
  }
  fs.renameSync(path.join(root, `${COMMIT_JOURNAL}.${process.pid}.tmp`), path.join(root, COMMIT_JOURNAL));
  faultPoint('journal-written');
  rollForward(root, journal);
}

/**
 * A file-system error with the path it names put in the user's terms: once the staging folder and
 * the journal being written are removed, their paths would name nothing (a full disk while writing
 * the manifest named `/repo/.synth-staging-x/.manifest.json`). A staged file is named by the output
 * path it stands for, e.g. `dist/staging/api/rollout-api.yaml`; an error that names no path names
 * the staging folder.
 * @param tree what the staging folder holds: `dist/`, or one folder of it
 */
export function inUserTerms(e: unknown, root: string, staging: string, tree: string): unknown {
  const error = e as NodeJS.ErrnoException;
  if (error.code === undefined) return e;
  const named = error.path ?? staging;
  if (named === path.join(staging, MANIFEST)) error.path = `the staging manifest of ${tree}/`;
  else if (named === staging) error.path = `the staging folder of ${tree}/`;
  else if (named.startsWith(`${staging}${path.sep}`)) error.path = path.relative(staging, named).split(path.sep).join('/');
  else if (named.startsWith(path.join(root, `${COMMIT_JOURNAL}.`))) error.path = `the commit journal ${COMMIT_JOURNAL}`;
  return e;
}

/**
 * Lists every file of a staging folder with the sha256 of its content in `.manifest.json` there.
 * @returns how many files it lists, and the sha256 of the manifest, which the journal records
 */
export function writeManifest(staging: string): { files: number; manifest: string } {
  const entries = filesUnder(staging, '').filter(file => file !== MANIFEST).sort().map(file => [file, sha256(fs.readFileSync(path.join(staging, file)))]);
  const text = JSON.stringify(entries);
  writeDurably(path.join(staging, MANIFEST), text);
  return { files: entries.length, manifest: sha256(Buffer.from(text)) };
}

/** What {@link recoverOutputs} found and did. */
export interface Recovery {
  /** A line for the user, or undefined when there was nothing to recover. */
  readonly message?: string;
}

/**
 * Brings the outputs back to a complete state after a crash: an interrupted commit with a journal is
 * completed (its new state is whole in the staging folder or already in place), and staging folders
 * without one, left before their commit point, are removed. A journal is trusted only once checked:
 * every path it names lies inside the repository, the staged files match the manifest written before
 * it, and the staged `dist/` passes the prune guard against the `dist/` the command started from; one
 * that fails is set aside and named in the error, and a live tree it had moved aside is put back.
 * Call it holding the repository lock.
 * @throws ConfigError naming the journal set aside, the check it failed and the command that resolves it
 */
export function recoverOutputs(root: string): Recovery {
  let message: string | undefined;
  if (journalPending(root)) {
    const journal = trustedJournal(root);
    rollForward(root, journal);
    message = `recovered: completed the ${journal.command} interrupted at ${journal.startedAt}; ${DIST}/ and ${journal.otherFiles.length ? journal.otherFiles.join(', ') : 'nothing else'} hold its new state`;
  }
  const leftovers = fs.readdirSync(root).filter(name => name.startsWith(STAGING_PREFIX) || (name.startsWith(`${COMMIT_JOURNAL}.`) && !name.includes(REJECTED)));
  // A staging folder that still holds a dist/ never reached its commit point; one without has committed.
  const unfinished = leftovers.filter(name => fs.existsSync(path.join(root, name, DIST))).length;
  for (const name of leftovers) fs.rmSync(path.join(root, name), { recursive: true, force: true });
  if (!message && unfinished > 0) {
    message = `recovered: removed ${unfinished} unfinished staging folder${unfinished > 1 ? 's' : ''}; ${DIST}/ and the pins hold the state before the interrupted command`;
  } else if (!message && leftovers.length > 0) {
    message = `recovered: removed what a completed command left behind; ${DIST}/ and the pins hold its new state`;
  }
  return { message };
}

/**
 * The warning a command that only reads prints while a commit is pending: `dist/` and the pins may
 * hold a mix of two states until a writing command completes it.
 */
export function pendingCommitWarning(root: string): string | undefined {
  if (!journalPending(root)) return undefined;
  return `warning: ${COMMIT_JOURNAL}: a commit interrupted by a crash is pending, so ${DIST}/ and releases/ may hold a mix of two states; run npm run synth to complete it`;
}

/** Whether a journal is there, a dangling link too: lstat(2), as every check of the journal. */
function journalPending(root: string): boolean {
  return fs.lstatSync(path.join(root, COMMIT_JOURNAL), { throwIfNoEntry: false }) !== undefined;
}

/** The journal at `root` once every check passes; otherwise it is set aside and the command fails. */
function trustedJournal(root: string): Journal {
  // Once the journal names a staging folder and a tree it may touch, a rejection puts back the tree it moved aside.
  let putBack = (): string | undefined => undefined;
  const reject = (field: string, value: unknown, rule: string, first?: string): never => {
    const aside = `${COMMIT_JOURNAL}${REJECTED}${new Date().toISOString().replace(/[:.]/g, '-')}`;
    fs.renameSync(path.join(root, COMMIT_JOURNAL), path.join(root, aside));
    const restored = putBack();
    return fail({
      at: aside, field, value, rule: `the journal of an interrupted commit ${rule}, so it was set aside${restored ? `, ${restored} was put back as it was,` : ''} and nothing was rolled forward`,
      fix: `${first ? `${first}, then ` : ''}check ${DIST}/, releases/ and .forgejo/ with 'git status', restore them with 'git checkout -- ${DIST} releases .forgejo' if they differ, then run npm run synth`,
    });
  };
  // Recovery renames, reads and removes what the journal names: through a link it would do so outside the repository.
  const rejectLink = (link: string): never => {
    const rule = link === COMMIT_JOURNAL ? 'is a symbolic link' : `reaches ${link}, which is a symbolic link`;
    // A link in the staging folder, or the journal, goes with them; one in the live tree stays until removed.
    const first = link === COMMIT_JOURNAL || link.startsWith(STAGING_PREFIX) ? undefined : `remove the link with 'rm ${link}'`;
    return reject(link, fs.readlinkSync(path.join(root, link)), `${rule}${resolvesInside(root, link) ? '' : ' that resolves outside the repository'}, and recovery follows no link`, first);
  };
  if (fs.lstatSync(path.join(root, COMMIT_JOURNAL)).isSymbolicLink()) return rejectLink(COMMIT_JOURNAL);
  let data: Partial<Record<keyof Journal, unknown>>;
  try {
    data = JSON.parse(fs.readFileSync(path.join(root, COMMIT_JOURNAL), 'utf-8'));
  } catch (e) {
    return reject('content', (e as Error).message, 'is not valid json');
  }
  if (typeof data !== 'object' || data === null) return reject('content', data, 'is not an object');
  const { staging, tree, otherFiles, command, startedAt, files, manifest } = data;
  if (typeof staging !== 'string' || !staging.startsWith(STAGING_PREFIX) || staging !== path.basename(staging)) {
    return reject('staging', staging, `must name a ${STAGING_PREFIX}* folder at the repository root`);
  }
  if (typeof tree !== 'string' || !isInside(tree) || (tree !== DIST && !tree.startsWith(`${DIST}/`))) {
    return reject('tree', tree, `must be ${DIST}/ or a folder inside it`);
  }
  if (!Array.isArray(otherFiles) || otherFiles.some(f => typeof f !== 'string' || !isInside(f) || f.startsWith(`${DIST}/`) || f.split('/')[0] === '.git')) {
    return reject('otherFiles', otherFiles, `must list files inside the repository, outside ${DIST}/ and .git/`);
  }
  if (typeof command !== 'string' || typeof startedAt !== 'string' || typeof files !== 'number' || typeof manifest !== 'string') {
    return reject('content', data, 'must record {staging, tree, otherFiles, command, startedAt, files, manifest}');
  }
  // Putting the moved-aside tree back renames it to the live tree: neither may be reached through a link.
  const firstLink = (named: readonly string[], under: boolean): string | undefined => {
    for (const relative of named) {
      const link = linkOnPath(root, relative) ?? (under ? linkUnder(root, relative) : undefined);
      if (link !== undefined) return link;
    }
    return undefined;
  };
  const linkOnTheWay = firstLink([`${staging}/${RETIRED}`, tree], false);
  if (linkOnTheWay) return rejectLink(linkOnTheWay);
  putBack = () => (restoreRetired(root, staging, tree) ? `${tree}/` : undefined);
  // Nor may anything else recovery reads, renames or removes: the staging folder, dist/ (the prune guard reads all of it) and the other files.
  const link = firstLink([staging, DIST, ...otherFiles as string[]], true);
  if (link) return rejectLink(link);
  const journal: Journal = { staging, tree, otherFiles: otherFiles as string[], command, startedAt, files, manifest };
  const incomplete = unverifiedFile(root, journal);
  if (incomplete) return reject('staging', staging, incomplete);
  // Once the staged tree is in place the guard has nothing left to stop.
  if (fs.existsSync(path.join(root, staging, tree))) {
    const rest = [...folderFiles(root, DIST)].filter(([file]) => !file.startsWith(`${tree}/`));
    // A kill after the live tree was moved aside leaves it in the staging folder: it is what dist/ held.
    const live = fs.existsSync(path.join(root, tree)) ? folderFiles(root, tree) : folderFiles(path.join(root, staging), RETIRED, tree);
    const next = new Map([...rest, ...folderFiles(path.join(root, staging), tree)]);
    const pruned = [...handMadeFileProblems(root, tree, next), ...stagedPruneProblems(new Map([...rest, ...live]), next)];
    if (pruned.length > 0) return reject('tree', tree, `would change ${DIST}/ past the prune guard (${describeProblem(pruned[0])})`);
  }
  return journal;
}

/**
 * Moves the live tree a commit moved aside back into place, when the staged tree never took its place:
 * the state before the command again, since nothing else is placed before the tree.
 * @returns whether it was moved back
 */
function restoreRetired(root: string, staging: string, tree: string): boolean {
  const retired = path.join(root, staging, RETIRED);
  const live = path.join(root, tree);
  if (!fs.existsSync(retired) || fs.existsSync(live)) return false;
  fs.mkdirSync(path.dirname(live), { recursive: true });
  fs.renameSync(retired, live);
  return true;
}

/** Why the staged files do not match the manifest the journal names, or undefined when they all do. */
function unverifiedFile(root: string, journal: Journal): string | undefined {
  const staging = path.join(root, journal.staging);
  let text: string;
  try {
    text = fs.readFileSync(path.join(staging, MANIFEST), 'utf-8');
  } catch {
    return `names a staging folder without its manifest (${journal.staging}/${MANIFEST})`;
  }
  if (sha256(Buffer.from(text)) !== journal.manifest) return 'names a manifest whose sha256 differs from the one it recorded';
  const entries = JSON.parse(text) as [string, string][];
  if (entries.length !== journal.files) return `lists ${journal.files} files where the manifest lists ${entries.length}`;
  const expected = new Set(journal.otherFiles);
  // A file is in the staging folder until its rename, and in place after it.
  for (const [file, hash] of entries) {
    if (!isInside(file) || (!file.startsWith(`${journal.tree}/`) && !expected.has(file))) return `stages ${file}, which it does not commit`;
    const staged = path.join(staging, file);
    const where = fs.existsSync(staged) ? staged : path.join(root, file);
    if (!fs.existsSync(where) || sha256(fs.readFileSync(where)) !== hash) return `staged ${file}, which is missing or differs from the manifest`;
  }
  const stagedTree = path.join(staging, journal.tree);
  const treeFiles = entries.filter(([file]) => file.startsWith(`${journal.tree}/`)).length;
  if (fs.existsSync(stagedTree) && filesUnder(stagedTree, journal.tree).length !== treeFiles) return `holds files in ${journal.tree} that the manifest does not list`;
  return undefined;
}

/** Moves every staged part into place, skipping what is there already, then ends the commit. */
function rollForward(root: string, journal: Journal): void {
  const staging = path.join(root, journal.staging);
  checkWritable(root, staging, journal.tree, journal.otherFiles);
  const live = path.join(root, journal.tree);
  const stagedTree = path.join(staging, journal.tree);
  const retired = path.join(staging, RETIRED);
  if (fs.existsSync(stagedTree)) {
    if (fs.existsSync(live) && !fs.existsSync(retired)) fs.renameSync(live, retired);
    faultPoint('dist-retired');
    fs.mkdirSync(path.dirname(live), { recursive: true });
    fs.renameSync(stagedTree, live);
  }
  // What is left of the staged dist/ (the folders above one staged folder) goes before the journal:
  // recoverOutputs reads a staging folder that still holds a dist/ as one that never committed.
  fs.rmSync(path.join(staging, DIST), { recursive: true, force: true });
  faultPoint('dist-placed');
  for (const file of journal.otherFiles) {
    const staged = path.join(staging, file);
    if (!fs.existsSync(staged)) continue;
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.renameSync(staged, path.join(root, file));
    faultPoint('first-file-placed');
  }
  faultPoint('files-placed');
  fs.rmSync(path.join(root, COMMIT_JOURNAL), { force: true });
  faultPoint('journal-removed');
  fs.rmSync(staging, { recursive: true, force: true });
}

/**
 * Throws the file system's own error (EACCES, EROFS) for the first folder a commit renames in or out
 * of that this process may not write, or an error for a file whose place a folder holds, before
 * anything is renamed.
 */
function checkWritable(root: string, staging: string, tree: string, otherFiles: readonly string[]): void {
  const writable = (target: string) => fs.accessSync(existingAncestor(target), fs.constants.W_OK);
  writable(root);
  writable(staging);
  const noLink = (named: string) => {
    const link = linkOnPath(root, named);
    if (link === undefined) return;
    fail({
      at: link, field: 'type', value: 'symbolic link',
      rule: `is a symbolic link to ${fs.readlinkSync(path.join(root, link))}${link === named ? '' : ` on the way to ${named}`}, and a commit renames only real files and folders, so that it never replaces anything outside the repository`,
      fix: `remove the link with 'rm ${link}' and restore what Git holds there with 'git checkout -- ${link}', then run the command again`,
    });
  };
  if (fs.existsSync(path.join(staging, tree))) {
    noLink(tree);
    writable(path.dirname(path.join(root, tree)));
    // Moving a folder to another parent rewrites its `..`: the folder itself must be writable too.
    if (fs.existsSync(path.join(root, tree))) writable(path.join(root, tree));
    writable(path.join(staging, tree));
  }
  for (const file of otherFiles) {
    const target = path.join(root, file);
    if (!fs.existsSync(path.join(staging, file))) continue;
    noLink(file);
    if (fs.existsSync(target) && fs.statSync(target).isDirectory()) {
      fail({ at: file, field: 'type', value: 'folder', rule: 'is a folder where the command writes a file', fix: `move ${file} out of the way, or restore it with 'git checkout -- ${file}'` });
    }
    writable(path.dirname(target));
  }
}

function existingAncestor(target: string): string {
  return fs.existsSync(target) ? target : existingAncestor(path.dirname(target));
}

/**
 * The first folder or file on the way from `root` to `relative`, itself included, that is a symbolic
 * link, by path relative to `root`; undefined when there is none up to the first that does not exist.
 */
function linkOnPath(root: string, relative: string): string | undefined {
  const parts = relative.split('/');
  for (let i = 1; i <= parts.length; i++) {
    const at = parts.slice(0, i).join('/');
    const stat = fs.lstatSync(path.join(root, at), { throwIfNoEntry: false });
    if (stat === undefined) return undefined;
    if (stat.isSymbolicLink()) return at;
  }
  return undefined;
}

/** The first symbolic link at or anywhere under `relative`, by path relative to `root`. */
function linkUnder(root: string, relative: string): string | undefined {
  const stat = fs.lstatSync(path.join(root, relative), { throwIfNoEntry: false });
  if (stat?.isSymbolicLink()) return relative;
  if (!stat?.isDirectory()) return undefined;
  for (const name of fs.readdirSync(path.join(root, relative)).sort()) {
    const link = linkUnder(root, `${relative}/${name}`);
    if (link !== undefined) return link;
  }
  return undefined;
}

/** Whether the link at `relative` resolves to a path inside `root`; a dangling link resolves nowhere. */
function resolvesInside(root: string, relative: string): boolean {
  try {
    const [real, realRoot] = [fs.realpathSync(path.join(root, relative)), fs.realpathSync(root)];
    return real.startsWith(`${realRoot}${path.sep}`);
  } catch {
    return false;
  }
}

/** Whether a relative path stays inside the folder it is relative to. */
function isInside(relative: string): boolean {
  return relative !== '' && !path.isAbsolute(relative) && !relative.includes('\\') && relative.split('/').every(part => part !== '' && part !== '.' && part !== '..');
}

/** Every file under `folder`, by path relative to its parent as `prefix` names it (`/` separators). */
function filesUnder(folder: string, prefix: string): string[] {
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap(entry => {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory() ? filesUnder(path.join(folder, entry.name), relative) : [relative];
  });
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Writes and flushes a file; a failure names the file, which a write(2) error does not (a full disk
 * would otherwise be reported at no path).
 */
function writeDurably(file: string, text: string): void {
  try {
    const fd = fs.openSync(file, 'w');
    try {
      fs.writeSync(fd, text);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch (e) {
    const error = e as NodeJS.ErrnoException;
    if (error.path === undefined) error.path = file;
    throw error;
  }
}
