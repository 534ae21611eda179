import { buildFleetApp } from '../charts/fleet-app';
import { Fleet, ImageRef, ReleasePins } from '../lib/fleet';
import { safeSynth, SafeSynthResult } from '../lib/synth';

/** Options of {@link synthFleet}. */
export interface SynthFleetOptions {
  /**
   * Pins to synthesize with instead of those in `releases/`, e.g. with one pin changed.
   * @default - the pins in releases/
   */
  readonly pins?: ReleasePins;
  /**
   * Files outside `dist/` to write in the same step.
   * @default - none
   */
  readonly extraFiles?: Map<string, string>;
  /**
   * Proceed although the prune guard objects.
   * @default false
   */
  readonly allowPrune?: boolean;
}

/** Synthesizes the fleet under `root` with {@link safeSynth}: every command that writes goes through here. */
export function synthFleet(fleet: Fleet, root: string, options: SynthFleetOptions = {}): SafeSynthResult {
  const pins = options.pins ?? fleet.loadPins(root);
  return safeSynth({
    root,
    build: () => buildFleetApp(fleet, pins).app,
    allowPrune: options.allowPrune,
    extraFiles: options.extraFiles,
  });
}

/** A summary of a synth: one line, then one line per note. */
export function describeSynth(result: SafeSynthResult): string {
  const summary = `synthesized ${result.distFiles.length} files into dist/${result.otherFiles.length ? ` and ${result.otherFiles.join(', ')}` : ''}`;
  return [summary, ...result.notes.map(note => `note: ${note}`)].join('\n');
}

/** Pins `image` for `service` in `env` and synthesizes with the new pin file, in one step. */
export function pinAndSynth(fleet: Fleet, root: string, env: string, service: string, image: ImageRef): string {
  const pins = fleet.loadPins(root).with(env, service, image);
  const result = synthFleet(fleet, root, { pins, extraFiles: new Map([[pins.file(env), pins.render(env)]]) });
  return `pinned ${service} in ${env} to ${image}\n${describeSynth(result)}`;
}
