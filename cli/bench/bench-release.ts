import { fail } from '../../lib/errors';
import { parseFlags, required } from '../command';
import { releaseCommand } from '../release';
import { benchFleet } from './bench-fleet';

const USAGE = 'node scripts/run-ts.cjs bin/bench-release.ts --root DIR --services N --envs E -- RELEASE_ARGS...';

/**
 * The release process `npm run bench` times: `npm run release` of one service, against the generated
 * N × E fleet in `--root` instead of fleet.ts. Everything after `--` goes to the release command.
 */
export function benchReleaseCommand(argv: string[]): string {
  const split = argv.indexOf('--');
  const flags = parseFlags(split === -1 ? argv : argv.slice(0, split), { root: 'string', services: 'string', envs: 'string' }, USAGE);
  const count = (flag: 'services' | 'envs') => {
    const value = Number(required(flags[flag], flag, USAGE));
    if (!Number.isInteger(value) || value < 1) fail({ at: 'bench-release', field: `--${flag}`, value: flags[flag], rule: 'must be a positive integer', fix: `usage: ${USAGE}` });
    return value;
  };
  const { fleet } = benchFleet(count('services'), count('envs'));
  return releaseCommand(fleet, required(flags.root, 'root', USAGE), split === -1 ? [] : argv.slice(split + 1));
}
