import * as fs from 'fs';
import * as path from 'path';

/** The journal of a commit under way, at the repository root; its presence means "roll forward". */
export const COMMIT_JOURNAL = '.synth-commit.json';
/** Staging folders are named with this prefix at the repository root. */
export const STAGING_PREFIX = '.synth-staging-';
/** The folder Argo CD watches. */
export const DIST = 'dist';

/** What the journal records: the staging folder, the tree it replaces, and the files it holds besides. */
interface Journal {
  readonly staging: string;
  /** `dist/`, or the one folder under it that the command synthesized; journals before it was recorded mean `dist/`. */
  readonly tree?: string;
  readonly otherFiles: readonly string[];
  readonly command: string;
  readonly startedAt: string;
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
 * file (pins, workflows) change together or not at all. The staging folder is complete before the
 * journal is written; the journal is the commit point. A kill before it leaves the old state (and a
 * staging folder that {@link recoverOutputs} removes); a kill after it leaves a journal that
 * {@link recoverOutputs} completes. A folder cannot be replaced by rename(2), so the live tree is
 * moved into the staging folder first; every other file is replaced by one atomic rename.
 * @param tree what the staging folder holds under the same path: `dist/`, or one folder of it
 */
export function commitOutputs(root: string, staging: string, otherFiles: readonly string[], command: string, tree: string = DIST): void {
  faultPoint('staged');
  const journal: Journal = { staging: path.basename(staging), tree, otherFiles, command, startedAt: new Date().toISOString() };
  const temporary = path.join(root, `${COMMIT_JOURNAL}.${process.pid}.tmp`);
  const fd = fs.openSync(temporary, 'w');
  try {
    fs.writeSync(fd, JSON.stringify(journal));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temporary, path.join(root, COMMIT_JOURNAL));
  faultPoint('journal-written');
  rollForward(root, journal);
}

/** What {@link recoverOutputs} found and did. */
export interface Recovery {
  /** A line for the user, or undefined when there was nothing to recover. */
  readonly message?: string;
}

/**
 * Brings the outputs back to a complete state after a crash: an interrupted commit with a journal is
 * completed (its new state is whole in the staging folder or already in place), and staging folders
 * without one, left before their commit point, are removed. Call it holding the repository lock.
 */
export function recoverOutputs(root: string): Recovery {
  const journalFile = path.join(root, COMMIT_JOURNAL);
  let message: string | undefined;
  if (fs.existsSync(journalFile)) {
    const journal = JSON.parse(fs.readFileSync(journalFile, 'utf-8')) as Journal;
    rollForward(root, journal);
    message = `recovered: completed the ${journal.command} interrupted at ${journal.startedAt}; ${DIST}/ and ${journal.otherFiles.length ? journal.otherFiles.join(', ') : 'nothing else'} hold its new state`;
  }
  const leftovers = fs.readdirSync(root).filter(name => name.startsWith(STAGING_PREFIX) || name.startsWith(`${COMMIT_JOURNAL}.`));
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

/** Moves every staged part into place, skipping what is there already, then ends the commit. */
function rollForward(root: string, journal: Journal): void {
  const staging = path.join(root, journal.staging);
  const tree = journal.tree ?? DIST;
  const live = path.join(root, tree);
  const stagedTree = path.join(staging, tree);
  const retired = path.join(staging, `${DIST}.previous`);
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
