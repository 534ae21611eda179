import { IConstruct } from 'constructs';

const NOTES = Symbol.for('infra-delivery.SynthNotes');

/**
 * Registers facts a reviewer should see when the app synthesizes, e.g. the real canary share of a
 * replica-based canary. `notes` runs after validation succeeds, when the whole tree is known.
 */
export function addSynthNotes(construct: IConstruct, notes: () => string[]): void {
  Object.defineProperty(construct, NOTES, { value: notes });
}

/** The notes of every construct of the tree under `root`, in tree order. */
export function synthNotes(root: IConstruct): string[] {
  return root.node.findAll().flatMap(c => ((c as unknown as Record<symbol, (() => string[]) | undefined>)[NOTES]?.() ?? []));
}
