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
  const { fleet } = benchFleet(Number(required(flags.services, 'services', USAGE)), Number(required(flags.envs, 'envs', USAGE)));
  return releaseCommand(fleet, required(flags.root, 'root', USAGE), split === -1 ? [] : argv.slice(split + 1));
}
