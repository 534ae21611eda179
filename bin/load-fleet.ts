import { ConfigError, fail } from '../lib/errors';
import type { Fleet } from '../model';

/**
 * The fleet of fleet.ts, loaded when a command runs rather than when its entry point is: a value that
 * throws while the fleet is built (a negative Duration, say) is then one error line, not a stack.
 */
export function loadFleet(): Fleet {
  try {
    // Required here, not imported, so that building the fleet happens inside the command.
    return (require('../fleet') as typeof import('../fleet')).fleet;
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    return fail({
      at: 'fleet.ts', field: 'definition', value: (e as Error).message, rule: 'throws while the fleet is built',
      fix: 'fix the value the message names; npm run typecheck shows type errors',
    });
  }
}
