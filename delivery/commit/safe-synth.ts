import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { fail, failAll } from '../../lib/errors/problem';
import { SynthNote, synthNotes } from '../../lib/output/synth-notes';
import { renderApp } from '../render/render';
import { writeFiles } from '../render/yaml-serializer';
import { DIST, STAGING_PREFIX, commitOutputs, inUserTerms } from './output-commit';
import { PruneLimits, handMadeFileProblems, pruneProblems } from './prune-guard';

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
   * The one folder under `dist/` that `build` renders, e.g. `dist/staging/api`: the commit replaces
   * that folder alone, and every other file of `dist/` stays as it is. Needs a `dist/` in place.
   * @default - `build` renders the whole of `dist/`
   */
  readonly only?: string;
  /**
   * Runs once everything is staged, before the commit point, with what the commit writes: `dist` and
   * the other files, by path relative to the root. A failure removes the staging folder, so every
   * output stays as it was.
   * @default - nothing
   */
  readonly beforeCommit?: (written: readonly string[]) => void;
}

/** What a successful synth wrote. */
export interface SafeSynthResult {
  /** Layout of the files written under `dist/`, relative to the root. */
  readonly distFiles: string[];
  /** Layout of the other files written, relative to the root. */
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
  const app = props.build();
  const files = renderApp(app);
  for (const [file, text] of props.extraFiles ?? []) files.set(file, { render: () => text });
  const distFiles = [...files.keys()].filter(f => f.startsWith(`${DIST}/`));
  const otherFiles = [...files.keys()].filter(f => !f.startsWith(`${DIST}/`));
  const only = props.only;
  if (distFiles.length === 0) {
    fail({ at: only ?? `${DIST}/`, field: 'files', value: [], rule: `the synth produced no manifests, and an empty ${only ?? `${DIST}/`} would make Argo CD delete everything`, fix: 'check that fleet.ts defines services and releases/ pins them' });
  }
  const currentDist = path.join(props.root, DIST);
  if (only !== undefined) {
    const outside = distFiles.find(f => !f.startsWith(`${only}/`));
    // A programming error, not a user's: the app was built for this folder alone.
    if (outside) throw new Error(`a synth of ${only} rendered ${outside}`);
    // The service stays deployed, so nothing is pruned; only a hand-made file in its folder would go.
    failAll(props.allowPrune ? [] : handMadeFileProblems(props.root, only, files));
  } else {
    failAll(props.allowPrune ? [] : pruneProblems(currentDist, files, props));
  }

  const staging = fs.mkdtempSync(path.join(props.root, STAGING_PREFIX));
  let filesWritten: number;
  try {
    // Every file that stays as it is is linked from the live tree, not written again.
    filesWritten = writeFiles(staging, files, { previousRoot: props.root });
    props.beforeCommit?.([DIST, ...otherFiles]);
  } catch (e) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw inUserTerms(e, props.root, staging, only ?? DIST);
  }
  commitOutputs(props.root, staging, otherFiles, props.command ?? 'synth', only);
  return { distFiles, otherFiles, notes: synthNotes(app), filesWritten };
}
