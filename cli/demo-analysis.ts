import { Fleet } from '../model';
import { describeDemo, runAnalysisDemo } from './demo/analysis-demo';
import { Command, CommandResult, parseFlags } from './support/command';

const USAGE = 'npm run demo:analysis';

/**
 * `npm run demo:analysis`: the fleet's real analysis against a real Prometheus, for a healthy, a
 * failing and an idle canary. Fails when any verdict differs from the expected one.
 */
export async function demoAnalysisCommand(fleet: Fleet, root: string, argv: string[], log: (message: string) => void): Promise<CommandResult> {
  parseFlags(argv, {}, USAGE);
  const results = await runAnalysisDemo({ fleet, root, log });
  return { output: describeDemo(results), failed: results.some(r => r.verdict !== r.expected) };
}

/** `npm run demo:analysis`. */
export const DEMO_ANALYSIS_COMMAND: Command = {
  name: 'demo:analysis',
  summary: 'runs the fleet\'s real analysis against a real Prometheus for a healthy, a failing and an idle canary',
  usage: USAGE,
  example: 'npm run demo:analysis',
  run: ({ fleet, root, progress }, argv) => demoAnalysisCommand(fleet(), root, argv, progress),
};
