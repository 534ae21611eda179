import * as fs from 'fs';
import * as path from 'path';
import { DIST } from '../delivery/commit';
import { RolloutPlan, chartFileName, planChart, planRollout, readServiceFolders } from '../delivery/plan';
import { fail } from '../lib/errors';
import { Layout } from '../model';
import { comparisonMatrix, targetSummary } from './simulation/comparison-matrix';
import { ScenarioResult, simulate } from './simulation/replay';
import { Command, CommandResult, parseFlags, repositoryPath } from './support/command';
import { findPrometheus } from './support/prometheus-server';

const USAGE = 'npm run simulate [-- --json] [--runs N] [--out FOLDER] [--in-process]';
/** Where `npm run simulate` writes: outside `dist/`, beside the plan. */
export const SIMULATE_FOLDER = 'reports/simulate';
/**
 * Healthy releases per Rollout in the real-Prometheus subset, at most: it proves the evaluator (about
 * 2,000 comparison measurements on the example fleet) and shows real releases, while the false-abort
 * rates are the matrix's, from `--runs` seeds. 200 took 4 of the command's 5 minutes here.
 */
const REAL_HEALTHY_RUNS = 20;

/**
 * `npm run simulate`: #24's matrix, every Rollout in `dist/` × scenario × rate replayed in process on
 * the controller's schedule (one JSON line each, `matrix.json`), with one line per target on stderr;
 * then the real-Prometheus subset (./simulation/replay.ts): up to {@link REAL_HEALTHY_RUNS} healthy
 * releases and one of each other scenario per Rollout against a real Prometheus, every comparison
 * measurement of which the in-process evaluator must equal, reported in `simulate.md`, `simulate.json`
 * and one chart per Rollout. Prints the matrix with `--json`, else the subset's Markdown. Fails when a
 * target the judgement guarantees is not met (false aborts, no traffic, aborts within the bounds), the
 * evaluator differs from Prometheus once, or a real abort comes later than the plan's bound; the
 * targets a fleet's rates and steps decide are reported. `--in-process` skips the real subset, for a machine without Prometheus: the matrix and
 * its targets only, the evaluator unchecked there.
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
  const plans = readServiceFolders(path.join(root, DIST)).map(folder => planRollout(folder)).filter((p): p is RolloutPlan => p !== undefined);
  if (plans.length === 0) fail({ at: 'simulate', field: DIST, value: [], rule: 'holds no canary rollout to replay', fix: 'run npm run synth first' });
  const real = !flags['in-process'];
  // Before a minute of matrix: the real subset needs Prometheus.
  if (real) findPrometheus();

  // #24's matrix, every measurement computed by the in-process evaluator.
  const rows = await comparisonMatrix(plans, runs, log);
  const lines = rows.map(r => JSON.stringify(r));
  const targets = targetSummary(rows, plans);
  for (const line of targets.lines) log(line);
  if (!targets.met && targets.guaranteesMet) log('the targets not met depend on the fleet\'s declared rates and steps, which npm run plan states: reported, not failed');
  const files: [name: string, text: string][] = [['matrix.json', `${lines.join('\n')}\n`]];
  // A guarantee of the judgement not met fails the command; the fleet's own aims are reported (a pull request is not blocked by its rates).
  let failed = !targets.guaranteesMet;
  let markdown: string | undefined;
  if (real) {
    // The proof that the in-process evaluator reads what Prometheus returns, and the report of the real releases.
    const healthyRuns = Math.min(runs, REAL_HEALTHY_RUNS);
    const { results, evaluator } = await simulate({ root, healthyRuns, log });
    const equal = evaluator.measurements - evaluator.mismatches.length;
    const proof = `in-process evaluator: ${equal} of ${evaluator.measurements} comparison measurements equal to Prometheus's`;
    for (const mismatch of evaluator.mismatches.slice(0, 10)) log(`differs: ${mismatch}`);
    log(proof);
    markdown = simulationMarkdown(results, plans, healthyRuns, [...targets.lines, proof]);
    files.push(['simulate.md', markdown], ['simulate.json', `${results.map(r => JSON.stringify(r)).join('\n')}\n`]);
    for (const plan of plans) files.push([chartFileName(plan), planChart(plan)]);
    const late = results.filter(r => r.abort_s !== null && r.plan_bound_s !== null && r.abort_s > r.plan_bound_s);
    failed ||= evaluator.mismatches.length > 0 || late.length > 0;
  }
  // Written only once everything ran, so that a failure midway leaves the last reports as they were.
  fs.mkdirSync(out, { recursive: true });
  for (const [name, text] of files) fs.writeFileSync(path.join(out, name), text);
  const reports = files.filter(([name]) => !name.endsWith('.svg')).map(([name]) => path.join(relativeOut, name));
  const wrote = `wrote ${reports.join(', ')}${real ? ` and ${plans.length} charts` : ''}`;
  if (flags.json || !markdown) {
    // The JSON lines stay parseable: there, where the files went is progress on stderr.
    log(wrote);
    return { output: lines.join('\n'), failed };
  }
  return { output: [markdown.trimEnd(), wrote].join('\n\n'), failed };
}

/** The real subset's results as Markdown, after the matrix's target lines (`summary`): one table per Rollout, its chart linked. */
export function simulationMarkdown(
  results: readonly ScenarioResult[], plans: readonly RolloutPlan[], runs: number, summary: readonly string[],
): string {
  const lines = [
    '## Canary simulation',
    '',
    'Every Rollout × scenario × rate replayed in process (`matrix.json`) and judged against the targets of #24, and the in-process evaluator checked against a real Prometheus:',
    '',
    ...summary.map(line => `- ${line}`),
    '',
    `Below, each Rollout replayed on the Argo Rollouts v1.9.1 controller's schedule against a real Prometheus holding synthetic metrics; `
      + `"healthy" is ${runs} seeded releases at 0.1% errors, the others one release each at 20% errors unless named. `
      + 'Abort times run from the first bad request (or Prometheus failing) to the failing measurement; bad requests are the error responses '
      + 'the canary served until traffic returned to stable.',
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
  summary: 'replays every canary Rollout of dist/ through #24\'s scenarios and rates on the controller\'s schedule in process, '
    + 'and checks that evaluator against a real Prometheus (--in-process skips that check, for a machine without Prometheus)',
  usage: USAGE,
  example: 'npm run simulate -- --json --runs 20',
  run: ({ root, progress }, argv) => simulateCommand(root, argv, progress),
};
