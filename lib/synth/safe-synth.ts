import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { fail, failAll } from '../errors/problem';
import { PruneLimits, pruneProblems } from './prune-guard';
import { renderApp } from './render';
import { synthNotes } from './synth-notes';
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
}

/** What a successful synth wrote. */
export interface SafeSynthResult {
  /** Paths of the files written under `dist/`, relative to the root. */
  readonly distFiles: string[];
  /** Paths of the other files written, relative to the root. */
  readonly otherFiles: string[];
  /** Facts a reviewer should know about the output, e.g. the real canary share of replica-based canaries. */
  readonly notes: string[];
}

/** The folder Argo CD watches. */
export const DIST = 'dist';

/**
 * Synthesizes without ever damaging `dist/`: the app is built, validated and rendered in memory,
 * written to a staging folder, checked by the prune guard, and only then swapped into place with
 * renames. Any failure leaves `dist/` byte for byte as it was.
 *
 * @throws ConfigError for every problem a user can cause, naming where, what and how to fix it
 */
export function safeSynth(props: SafeSynthProps): SafeSynthResult {
  const app = props.build();
  const files = renderApp(app);
  for (const [file, text] of props.extraFiles ?? []) files.set(file, { render: () => text });
  const distFiles = [...files.keys()].filter(f => f.startsWith(`${DIST}/`));
  const otherFiles = [...files.keys()].filter(f => !f.startsWith(`${DIST}/`));
  if (distFiles.length === 0) {
    fail({ at: `${DIST}/`, field: 'files', value: [], rule: `the synth produced no manifests, and an empty ${DIST}/ would make Argo CD delete everything`, fix: 'check that fleet.ts defines services and releases/ pins them' });
  }

  const currentDist = path.join(props.root, DIST);
  const refusals = props.allowPrune ? [] : pruneProblems(currentDist, files, props);
  failAll(refusals);

  const staging = fs.mkdtempSync(path.join(props.root, '.synth-staging-'));
  try {
    writeFiles(staging, files);
    swapInto(props.root, staging, otherFiles);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  return { distFiles, otherFiles, notes: synthNotes(app) };
}

/** Renames the staged `dist/` over the live one, and each other staged file over its live copy. */
function swapInto(root: string, staging: string, otherFiles: string[]): void {
  const live = path.join(root, DIST);
  const retired = path.join(staging, `${DIST}.previous`);
  if (fs.existsSync(live)) fs.renameSync(live, retired);
  fs.renameSync(path.join(staging, DIST), live);
  for (const file of otherFiles) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.renameSync(path.join(staging, file), path.join(root, file));
  }
}
