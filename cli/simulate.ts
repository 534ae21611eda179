import * as fs from 'fs';
import * as path from 'path';
import { DIST } from '../delivery/commit';
import { RolloutPlan, chartFileName, planChart, planRollout, readServiceFolders } from '../delivery/plan';
import { fail } from '../lib/errors';
import { Layout } from '../model';
import { comparisonMatrix, targetSummary } from './simulation/comparison-matrix';
import { ScenarioResult, simulate } from './simulation/replay';
import { Command, CommandResult, parseFlags, repositoryPath } from './support/command';

const USAGE = 'npm run simulate [-- --json] [--runs N] [--out FOLDER] [--in-process]';
/** Where `npm run simulate` writes: outside `dist/`, beside the plan. */
export const SIMULATE_FOLDER = 'reports/simulate';

/**
 * `npm run simulate`: replays every Rollout in `dist/` through each scenario on the controller's
 * schedule against a real Prometheus, and reports verdicts, abort times, exposure and the
 * false-abort rate beside the plan's bounds. Writes `simulate.md`, `simulate.json` and one chart per
 * Rollout to the report folder; prints the Markdown, or with `--json` one JSON line per Rollout and
 * scenario. Fails when a simulated abort comes later than the plan's bound.
 */
export async function simulateCommand(root: string, argv: string[], log: (message: string) => void = () => undefined): Promise<CommandResult> {
  const flags = parseFlags(argv, { 'json': 'boolean', 'runs': 'string', 'out': 'string', 'in-process': 'boolean' }, USAGE);
  const runs = Number(flags.runs ?? 200);
  if (!Number.isInteger(runs) || runs < 1) fail({ at: 'simulate', field: '--runs', value: flags.runs, rule: 'must be a positive integer', fix: `usage: ${USAGE}` });
  const out = repositoryPath(root, flags.out ?? SIMULATE_FOLDER, 'simulate', '--out', `write reports inside the repository, e.g. ${SIMULATE_FOLDER}`);
  const relativeOut = path.relative(root, out);
  if (Layout.isInDist(relativeOut)) {
    fail({ at: 'simulate', field: '--out', value: flags.out, rule: 'argo cd reads every yaml file under dist/, and reports do not belong there', fix: `write them outside dist/, e.g. ${SIMULATE_FOLDER}` });
  }
  if (flags['in-process']) {
    // #24's matrix, every measurement computed by the in-process evaluator that the integration test proves equal to Prometheus.
    const plans = readServiceFolders(path.join(root, DIST)).map(folder => planRollout(folder)).filter((p): p is RolloutPlan => p !== undefined);
    if (plans.length === 0) fail({ at: 'simulate', field: DIST, value: [], rule: 'holds no canary rollout to replay', fix: 'run npm run synth first' });
    const rows = await comparisonMatrix(plans, runs, log);
    const lines = rows.map(r => JSON.stringify(r));
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(path.join(out, 'matrix.json'), `${lines.join('\n')}\n`);
    // A target of #24 not met fails the command, as a late abort does with a real Prometheus below.
    const targets = targetSummary(rows, plans);
    for (const line of targets.lines) log(line);
    return { output: lines.join('\n'), failed: !targets.met };
  }
  const { results, plans } = await simulate({ root, healthyRuns: runs, log });
  if (plans.length === 0) fail({ at: 'simulate', field: DIST, value: [], rule: 'holds no canary rollout to replay', fix: 'run npm run synth first' });
  const lines = results.map(r => JSON.stringify(r));
  const markdown = simulationMarkdown(results, plans, runs);
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, 'simulate.md'), markdown);
  fs.writeFileSync(path.join(out, 'simulate.json'), `${lines.join('\n')}\n`);
  for (const plan of plans) fs.writeFileSync(path.join(out, chartFileName(plan)), planChart(plan));
  const late = results.filter(r => r.abort_s !== null && r.plan_bound_s !== null && r.abort_s > r.plan_bound_s);
  const wrote = `wrote ${['simulate.md', 'simulate.json'].map(f => path.join(relativeOut, f)).join(', ')} and ${plans.length} charts`;
  // The JSON lines stay parseable: there, where the files went is progress on stderr.
  if (flags.json) log(wrote);
  return { output: flags.json ? lines.join('\n') : [markdown.trimEnd(), wrote].join('\n\n'), failed: late.length > 0 };
}

/** The results as Markdown: one table per Rollout, its chart linked. */
export function simulationMarkdown(results: readonly ScenarioResult[], plans: readonly RolloutPlan[], runs: number): string {
  const lines = [
    '## Canary simulation',
    '',
    `Each Rollout replayed on the Argo Rollouts v1.9.1 controller's schedule against a real Prometheus holding synthetic metrics; `
      + `"healthy" is ${runs} seeded releases at 0.1% errors, the others one release each at 20% errors unless named. `
      + 'Abort times run from the first bad request (or Prometheus failing) to the failing measurement.',
  ];
  for (const plan of plans) {
    const name = `${plan.environment}/${plan.service}`;
    lines.push('', `### ${name}`, '', '| scenario | verdict | abort | plan bound | max exposure | bad requests | note |', '|---|---|---|---|---|---|---|');
    for (const r of results.filter(x => x.rollout === name)) {
      const seconds = (s: number | null) => (s === null ? '' : `${s} s`);
      const verdict = r.false_abort_rate === undefined ? r.verdict : `${r.verdict} (false aborts ${(r.false_abort_rate * 100).toFixed(1)}%)`;
      const late = r.abort_s !== null && r.plan_bound_s !== null && r.abort_s > r.plan_bound_s ? ' ⚠️ later than the plan' : '';
      lines.push(`| ${r.scenario} | ${verdict} | ${seconds(r.abort_s)}${late} | ${seconds(r.plan_bound_s)} | ${r.max_exposure_pct}% | ${r.bad_requests} | ${r.note ?? ''} |`);
    }
    lines.push('', `![${name}](${chartFileName(plan)})`);
  }
  return `${lines.join('\n')}\n`;
}

/** `npm run simulate`. */
export const SIMULATE_COMMAND: Command = {
  name: 'simulate',
  summary: 'replays every canary Rollout of dist/ through healthy and failing releases on the controller\'s schedule against a real Prometheus',
  usage: USAGE,
  example: 'npm run simulate -- --json --runs 20',
  run: ({ root, progress }, argv) => simulateCommand(root, argv, progress),
};
