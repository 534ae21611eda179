import * as fs from 'fs';
import * as path from 'path';
import { buildFleetApp, buildServiceApp } from '../../charts/fleet-app';
import { summarizeNotes } from '../../lib/output';
import { ImageRef } from '../../lib/workload';
import { Fleet, ReleasePins } from '../../model';
import { Layout } from '../../model/layout';
import { DIST, SafeSynthResult, recoverOutputs, safeSynth, withRepoLock } from '../commit';
import { BuildRecords, loadPins } from '../pins';

/** A change to the pins that a command makes, read from the pins as they are under the lock. */
export interface PinEdit {
  readonly pins: ReleasePins;
  /** Files outside `dist/` to commit with it: the changed pin file. */
  readonly extraFiles: Map<string, string>;
  /** What the command says it did. */
  readonly message: string;
  /**
   * The one deployment whose pin changed, when it was deployed before: only its folder is synthesized.
   * @default - the whole fleet
   */
  readonly only?: { readonly environment: string; readonly service: string };
  /**
   * Folders of `dist/` the edit removes on purpose (a retired service's): the prune guard lets exactly these go.
   * @default - none
   */
  readonly removes?: readonly string[];
}

/** Options of {@link synthFleet}. */
export interface SynthFleetOptions {
  /** The command, which the lock and the commit journal name. */
  readonly command: string;
  /**
   * Changes the pins before the synth, e.g. a release; it runs under the lock. A string instead says
   * why there is nothing to change, and nothing is synthesized or written.
   * @default - the pins in releases/, unchanged
   */
  readonly edit?: (pins: ReleasePins) => PinEdit | string;
  /**
   * Proceed although the prune guard objects.
   * @default false
   */
  readonly allowPrune?: boolean;
  /**
   * Runs under the lock once the commit is done, e.g. to copy `dist/` elsewhere.
   * @default - nothing
   */
  readonly after?: () => void;
}

/**
 * Synthesizes the fleet under `root`: every command that writes goes through here. It holds the
 * repository lock from reading the pins to the commit, so concurrent commands run one after the other
 * and none loses another's pin, and it first completes or cleans up whatever a crashed command left.
 *
 * @returns what the command prints
 */
export function synthFleet(fleet: Fleet, root: string, options: SynthFleetOptions): string {
  return withRepoLock(root, options.command, () => {
    const recovered = recoverOutputs(root).message;
    const current = loadPins(fleet, root);
    const edit = options.edit?.(current);
    if (typeof edit === 'string') {
      // scripts/commit-and-push.sh then finds nothing written, and pushes nothing.
      listWritten([]);
      return [recovered, edit].filter(Boolean).join('\n');
    }
    const pins = edit?.pins ?? current;
    // A pin change of a deployed service touches its folder alone; without a dist/ in place, everything is synthesized.
    const dist = path.join(root, DIST);
    const only = edit?.only && fs.existsSync(dist) && fs.readdirSync(dist).length > 0 ? edit.only : undefined;
    const { files: records, removed } = recordsOfRemovedServices(fleet, root, edit?.extraFiles);
    const result = safeSynth({
      root,
      build: () => (only ? buildServiceApp(fleet, pins, only.environment, only.service) : undefined) ?? buildFleetApp(fleet, pins).app,
      only: only && Layout.service(only.environment, only.service),
      allowPrune: options.allowPrune,
      approvedRemovals: edit?.removes,
      extraFiles: new Map([...edit?.extraFiles ?? [], ...records]),
      command: options.command,
      beforeCommit: listWritten,
    });
    options.after?.();
    const dropped = removed.length ? `removed the build records of ${removed.join(', ')}, no longer in the fleet` : undefined;
    return [recovered, edit?.message, dropped, describeSynth(result)].filter(Boolean).join('\n');
  });
}

/**
 * Lists the files a command writes in the file `$INFRA_WRITTEN_FILES` names, one a line, before it
 * commits them: scripts/commit-and-push.sh stages exactly these, and nothing else under releases/. A
 * write that fails names the list, which a full disk's write(2) error does not.
 */
function listWritten(files: readonly string[]): void {
  const list = process.env.INFRA_WRITTEN_FILES;
  if (!list) return;
  try {
    fs.writeFileSync(list, files.map(f => `${f}\n`).join(''));
  } catch (e) {
    const error = e as NodeJS.ErrnoException;
    if (error.code !== undefined) error.path = `the list of written files ${list} ($INFRA_WRITTEN_FILES)`;
    throw e;
  }
}

/**
 * The build record files, as `edit` leaves them, rewritten without the services no longer in the fleet:
 * a record outliving its service would hold back a service of the same name added later.
 */
function recordsOfRemovedServices(fleet: Fleet, root: string, edited: ReadonlyMap<string, string> = new Map()) {
  const services = new Set(fleet.services.map(s => s.name));
  const files = new Map<string, string>();
  const removed = new Set<string>();
  for (const env of fleet.environments) {
    const builds = BuildRecords.load(root, env.name);
    const gone = builds.services().filter(service => !services.has(service));
    if (gone.length === 0) continue;
    // A command that rewrote the file (a release) started from the same records.
    const text = edited.get(builds.file);
    const current = text === undefined ? builds : BuildRecords.parse(builds.file, text);
    files.set(builds.file, gone.reduce((kept, service) => kept.without(service), current).render());
    gone.forEach(service => removed.add(`${service} in ${env.name}`));
  }
  return { files, removed: [...removed] };
}

/** A summary of a synth: one line, then one line per note. */
function describeSynth(result: SafeSynthResult): string {
  const into = `${result.distFiles.length} files into dist/${result.otherFiles.length ? ` and ${result.otherFiles.join(', ')}` : ''}`;
  const summary = `synthesized ${into}; ${result.filesWritten} changed`;
  return [summary, ...summarizeNotes(result.notes).map(note => `note: ${note}`)].join('\n');
}

/**
 * Pins the image `imageOf` picks from the current pins for `service` in `env`, and synthesizes with
 * the new pin file, in one locked step.
 */
export function pinAndSynth(
  fleet: Fleet,
  root: string,
  command: string,
  env: string,
  service: string,
  imageOf: (pins: ReleasePins) => ImageRef,
): string {
  return synthFleet(fleet, root, {
    command,
    edit: current => {
      const image = imageOf(current);
      const pins = current.with(env, service, image);
      return { pins, extraFiles: new Map([[pins.file(env), pins.render(env)]]), message: `pinned ${service} in ${env} to ${image}`, only: deployedBefore(current, env, service) };
    },
  });
}

/** The deployment a pin change touches alone, when the service was pinned there before (else its Application is new too). */
export function deployedBefore(pins: ReleasePins, environment: string, service: string): PinEdit['only'] {
  return pins.get(environment, service) ? { environment, service } : undefined;
}
