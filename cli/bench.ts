import { fail } from '../lib/errors';
import { runBench } from './benchmark/run-bench';
import { Command, CommandResult, parseFlags } from './support/command';

const USAGE = 'npm run bench [-- --services N --envs E --runs R --no-kustomize]';

/**
 * `npm run bench`: synthesizes a generated N × E fleet and prints one JSON line with its size, time,
 * memory, the `yaml`-only floor and kustomize's time for the same documents. The comparison with
 * kustomize goes to stderr, and a difference in the rendered objects fails the command.
 */
export function benchCommand(repoRoot: string, argv: string[], progress?: (message: string) => void): CommandResult {
  const flags = parseFlags(argv, { 'services': 'string', 'envs': 'string', 'runs': 'string', 'no-kustomize': 'boolean' }, USAGE);
  const count = (flag: 'services' | 'envs' | 'runs', fallback: number) => {
    const value = Number(flags[flag] ?? fallback);
    if (!Number.isInteger(value) || value < 1) fail({ at: 'bench', field: `--${flag}`, value: flags[flag], rule: 'must be a positive integer', fix: `usage: ${USAGE}` });
    return value;
  };
  const { result, differences } = runBench({ repoRoot, services: count('services', 100), envs: count('envs', 3), runs: count('runs', 1), kustomize: !flags['no-kustomize'], progress });
  if (result.kustomize_s !== null) {
    const verdict = differences.length ? `${differences.length} objects differ, e.g. ${differences.slice(0, 3).join('; ')}` : `both render the same ${result.documents} objects`;
    console.error(`kustomize took ${(result.kustomize_s / result.wall_s).toFixed(1)}× as long as the synth; ${verdict}`);
  }
  console.error(`the synth took ${(result.wall_s / result.floor_s).toFixed(2)}× the yaml-only floor`);
  return { output: JSON.stringify(result), failed: differences.length > 0 };
}

/** `npm run bench`. */
export const BENCH_COMMAND: Command = {
  name: 'bench',
  summary: 'measures synth and release of a generated fleet against the yaml floor and kustomize, and prints one JSON line',
  usage: USAGE,
  example: 'npm run bench -- --services 100 --envs 3 --runs 3',
  run: ({ root, progress }, argv) => benchCommand(root, argv, progress),
};
