import { AnalysisCheck, checkAnalysis, deployedCharts } from '../delivery/verify';
import { fail } from '../lib/errors';
import { Fleet } from '../model';
import { Command, CommandResult, parseFlags, required } from './support/command';

const USAGE = 'npm run analysis:check -- --prometheus URL [--service NAME] [--env ENV] [--canary-hash HASH] [--stable-hash HASH]';

/**
 * `npm run analysis:check`: runs every metric of the selected services' canary analysis once against a
 * live Prometheus, with the args the Rollout would pass, and judges each with the metric's typed
 * threshold. Fails when any metric is Failed or Error.
 */
export async function analysisCheckCommand(fleet: Fleet, root: string, argv: string[]): Promise<CommandResult> {
  const flags = parseFlags(argv, { 'prometheus': 'string', 'service': 'string', 'env': 'string', 'canary-hash': 'string', 'stable-hash': 'string' }, USAGE);
  const prometheus = required(flags.prometheus, 'prometheus', USAGE);
  if (!/^https?:\/\/[^\s]+$/.test(prometheus)) fail({ at: 'analysis:check', field: '--prometheus', value: prometheus, rule: 'must be an http(s) url', fix: 'use e.g. http://localhost:9090' });
  const checks: AnalysisCheck[] = [];
  for (const chart of deployedCharts(fleet, root, flags.service, flags.env)) {
    checks.push(...await checkAnalysis(chart, prometheus, { canaryHash: flags['canary-hash'], stableHash: flags['stable-hash'] }));
  }
  return { output: checks.map(c => c.line).join('\n'), failed: checks.some(c => c.phase === 'Failed' || c.phase === 'Error') };
}

/** `npm run analysis:check`. */
export const ANALYSIS_CHECK_COMMAND: Command = {
  name: 'analysis:check',
  summary: 'runs every metric of the deployed canary analyses once against a live Prometheus and judges it as the controller would',
  usage: USAGE,
  example: 'npm run analysis:check -- --prometheus http://localhost:9090 --service api --env staging',
  run: ({ fleet, root }, argv) => analysisCheckCommand(fleet(), root, argv),
};
