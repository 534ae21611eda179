import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { fail, failAll } from '../errors/problem';
import { DIST, STAGING_PREFIX, commitOutputs } from './output-commit';
import { OutputFile } from './output-file';
import { PruneLimits, handMadeFileProblems, pruneProblems } from './prune-guard';
import { renderApp } from './render';
import { SynthNote, synthNotes } from './synth-notes';
import { writeFiles } from './yaml-serializer';

/** Properties of {@link safeSynth}. */
export interface SafeSynthProps extends PruneLimits {
  /** The repository root; output paths are relative to it. */
  readonly root: string;
  /** Builds the app. An exception here fails the synth like a validation problem does. */
  readonly build: () => App;
  /**
   * Proceed although the prune guard objects.
   * @default false
   */
  readonly allowPrune?: boolean;
  /**
   * Files outside `dist/` to write in the same step, e.g. an updated pin file, by path relative to the root.
   * @default - none
   */
  readonly extraFiles?: Map<string, string>;
  /**
   * The command, named in the commit's journal and in a recovery message.
   * @default 'synth'
   */
  readonly command?: string;
  /**
   * The one folder under `dist/` that `build` renders, e.g. `dist/staging/api`: every other file of
   * `dist/` stays as it is (linked into the new tree), and the folder's files are replaced by the
   * rendered ones. Needs a `dist/` in place.
   * @default - `build` renders the whole of `dist/`
   */
  readonly only?: string;
  /**
   * Shares of the output that other threads build and write into the same staging folder while this
   * one builds, validates and writes the rest. `build` still builds the whole app: its validation and
   * notes cover every share.
   * @default - this thread writes everything
   */
  readonly shares?: readonly SynthShare[];
}

/** A share of a synth's output that another thread renders and writes. */
export interface SynthShare {
  /** The folders under `dist/`, relative to the root, whose files the other thread writes; this thread skips them. */
  readonly folders: readonly string[];
  /** Starts the other thread writing its share under `staging`, linking unchanged files from `previousRoot`. */
  start(staging: string, previousRoot: string): SharedWrite;
}

/** A share under way on another thread. */
export interface SharedWrite {
  /** Blocks until the share is written. */
  wait(): SharedWriteResult;
  /** Ends the other thread, finished or not. */
  stop(): void;
}

/** What another thread wrote. */
export interface SharedWriteResult {
  /** The paths of its files, relative to the root. */
  readonly files: readonly string[];
  /** How many of them it wrote; it linked the others. */
  readonly written: number;
}

/** What a successful synth wrote. */
export interface SafeSynthResult {
  /** Paths of the files written under `dist/`, relative to the root. */
  readonly distFiles: string[];
  /** Paths of the other files written, relative to the root. */
  readonly otherFiles: string[];
  /** Facts a reviewer should know about the output, e.g. the real canary share of replica-based canaries. */
  readonly notes: SynthNote[];
  /** How many files were written; the others were unchanged, and linked. */
  readonly filesWritten: number;
}

/**
 * Synthesizes without ever damaging `dist/`: the app is built, validated and rendered in memory,
 * checked by the prune guard, written to a staging folder, and only then committed with the other
 * staged files as one unit ({@link commitOutputs}). Any failure before the commit leaves every output
 * byte for byte as it was; a crash during it is completed by the next command. Hold the repository
 * lock ({@link withRepoLock}) around it.
 *
 * @throws ConfigError for every problem a user can cause, naming where, what and how to fix it
 */
export function safeSynth(props: SafeSynthProps): SafeSynthResult {
  const shares = props.shares ?? [];
  const staging = fs.mkdtempSync(path.join(props.root, STAGING_PREFIX));
  // The other threads start first, so that they build while this one does.
  const running: SharedWrite[] = [];
  try {
    for (const share of shares) running.push(share.start(staging, props.root));
    const app = props.build();
    const files = renderApp(app);
    for (const [file, text] of props.extraFiles ?? []) files.set(file, { render: () => text });
    const distFiles = [...files.keys()].filter(f => f.startsWith(`${DIST}/`));
    const otherFiles = [...files.keys()].filter(f => !f.startsWith(`${DIST}/`));
    checkOutput(props, files, distFiles);

    // Every file that stays as it is is linked from the live tree, not written again.
    if (props.only !== undefined) linkTree(props.root, staging, DIST, props.only);
    const shareOf = shareLookup(shares);
    let filesWritten = writeFiles(staging, new Map([...files].filter(([file]) => shareOf(file) === undefined)), { previousRoot: props.root });
    running.forEach((write, index) => {
      const result = write.wait();
      const expected = [...files.keys()].filter(file => shareOf(file) === index);
      // A programming error, not a user's: the other thread built another app than this one.
      if (result.files.length !== expected.length || [...result.files].sort().some((file, i) => file !== expected[i])) {
        throw new Error(`share ${index} of the synth wrote ${result.files.length} files where the app has ${expected.length}`);
      }
      filesWritten += result.written;
    });
    running.forEach(write => write.stop());
    commitOutputs(props.root, staging, otherFiles, props.command ?? 'synth');
    return { distFiles, otherFiles, notes: synthNotes(app), filesWritten };
  } catch (e) {
    running.forEach(write => write.stop());
    fs.rmSync(staging, { recursive: true, force: true });
    throw e;
  }
}

/** Refuses an output that would empty `dist/`, or prune what the prune guard protects. */
function checkOutput(props: SafeSynthProps, files: ReadonlyMap<string, OutputFile>, distFiles: readonly string[]): void {
  const only = props.only;
  if (distFiles.length === 0) {
    fail({ at: only ?? `${DIST}/`, field: 'files', value: [], rule: `the synth produced no manifests, and an empty ${only ?? `${DIST}/`} would make Argo CD delete everything`, fix: 'check that fleet.ts defines services and releases/ pins them' });
  }
  if (only !== undefined) {
    const outside = distFiles.find(f => !f.startsWith(`${only}/`));
    // A programming error, not a user's: the app was built for this folder alone.
    if (outside) throw new Error(`a synth of ${only} rendered ${outside}`);
    // The service stays deployed, so nothing is pruned; only a hand-made file in its folder would go.
    failAll(props.allowPrune ? [] : handMadeFileProblems(props.root, only, files));
  } else {
    failAll(props.allowPrune ? [] : pruneProblems(path.join(props.root, DIST), files, props));
  }
}

/** The index of the share that writes a file, or undefined for this thread's files. */
function shareLookup(shares: readonly SynthShare[]): (file: string) => number | undefined {
  const owners = new Map(shares.flatMap((share, index) => share.folders.map(folder => [folder, index] as const)));
  return file => {
    for (let folder = path.posix.dirname(file); folder !== '.' && folder !== '/'; folder = path.posix.dirname(folder)) {
      const owner = owners.get(folder);
      if (owner !== undefined) return owner;
    }
    return undefined;
  };
}

/** Hard-links every file under `root/folder` into `staging/folder`, except those under `except`. */
function linkTree(root: string, staging: string, folder: string, except: string): void {
  for (const entry of fs.readdirSync(path.join(root, folder), { withFileTypes: true })) {
    const relative = path.posix.join(folder, entry.name);
    if (relative === except) continue;
    if (entry.isDirectory()) {
      fs.mkdirSync(path.join(staging, relative), { recursive: true });
      linkTree(root, staging, relative, except);
    } else {
      fs.linkSync(path.join(root, relative), path.join(staging, relative));
    }
  }
}
