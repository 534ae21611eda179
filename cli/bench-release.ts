import { fail } from '../lib/errors';
import { benchFleet } from './benchmark/bench-fleet';
import { releaseCommand } from './release';
import { Command, parseFlags, required } from './support/command';

const USAGE = 'npm run bench:release -- --root DIR --services N --envs E -- RELEASE_ARGS...';

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

/** `npm run bench:release`. */
export const BENCH_RELEASE_COMMAND: Command = {
  name: 'bench:release',
  summary: 'runs one release against a generated fleet in a folder of its own, for the bench',
  usage: USAGE,
  example: 'npm run bench:release -- --root /tmp/bench --services 100 --envs 3 -- --service svc-0001 --env env-1 --image ghcr.io/bench/svc-0001@sha256:1111111111111111111111111111111111111111111111111111111111111111',
  run: (_, argv) => benchReleaseCommand(argv),
};
