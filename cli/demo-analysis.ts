import { Fleet } from '../lib/fleet';
import { CommandResult } from './command';
import { describeDemo, runAnalysisDemo } from './demo/analysis-demo';

/**
 * `npm run demo:analysis`: the fleet's real analysis against a real Prometheus, for a healthy, a
 * failing and an idle canary. Fails when any verdict differs from the expected one.
 */
export async function demoAnalysisCommand(fleet: Fleet, root: string, log: (message: string) => void): Promise<CommandResult> {
  const results = await runAnalysisDemo({ fleet, root, log });
  return { output: describeDemo(results), failed: results.some(r => r.verdict !== r.expected) };
}
