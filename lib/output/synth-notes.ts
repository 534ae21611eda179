import { IConstruct } from 'constructs';

const NOTES = Symbol.for('infra-delivery.SynthNotes');

/** A fact a reviewer should see when the app synthesizes. */
export interface SynthNote {
  /** What kind of fact, as a plural phrase, e.g. `replica-based Rollouts whose share differs from their weights`. */
  readonly kind: string;
  readonly text: string;
}

/**
 * Registers facts a reviewer should see when the app synthesizes, e.g. the real canary share of a
 * replica-based canary. `notes` runs after validation succeeds, when the whole tree is known.
 */
export function addSynthNotes(construct: IConstruct, kind: string, notes: () => string[]): void {
  Object.defineProperty(construct, NOTES, { value: () => notes().map(text => ({ kind, text })) });
}

/** The notes of every construct of the tree under `root`, in tree order. */
export function synthNotes(root: IConstruct): SynthNote[] {
  return root.node.findAll().flatMap(c => ((c as unknown as Record<symbol, (() => SynthNote[]) | undefined>)[NOTES]?.() ?? []));
}

/**
 * At most one line per kind of note: the note itself when it is the only one, else a count and an
 * example, so that a fleet of a thousand services does not bury everything else.
 */
export function summarizeNotes(notes: readonly SynthNote[]): string[] {
  const kinds = [...new Set(notes.map(n => n.kind))];
  return kinds.map(kind => {
    const ofKind = notes.filter(n => n.kind === kind);
    return ofKind.length === 1 ? ofKind[0].text : `${ofKind.length} ${kind} (npm run plan lists each), e.g. ${ofKind[0].text}`;
  });
}
