import * as fs from 'fs';
import * as path from 'path';
import { DIST } from '../delivery/commit';
import { chartFileName, otherRolloutOptOuts, planChart, planMarkdown, planServices, readServiceFolders } from '../delivery/plan';
import { fail } from '../lib/errors';
import { Layout } from '../model';
import { Command, parseFlags, repositoryPath, warnIfCommitPending } from './support/command';

const USAGE = 'npm run plan [-- --out FOLDER]';

/**
 * `npm run plan`: the canary plan of every Rollout in `dist/`, derived from the synthesized objects
 * alone. Writes `plan.md` and one SVG chart per Rollout to the report folder, and prints the Markdown.
 */
export function planCommand(root: string, argv: string[]): string {
  const flags = parseFlags(argv, { out: 'string' }, USAGE);
  const out = repositoryPath(root, flags.out ?? Layout.planReports, 'plan', '--out', `write reports inside the repository, e.g. ${Layout.planReports}`);
  const relativeOut = path.relative(root, out);
  if (Layout.isInDist(relativeOut)) {
    fail({ at: 'plan', field: '--out', value: flags.out, rule: 'argo cd reads every yaml file under dist/, and reports do not belong there', fix: `write them outside dist/, e.g. ${Layout.planReports}` });
  }
  const folders = readServiceFolders(path.join(root, DIST));
  const plans = planServices(folders);
  if (plans.length === 0) fail({ at: 'plan', field: DIST, value: [], rule: 'holds no rollout to plan', fix: 'run npm run synth first' });
  const markdown = planMarkdown(plans, otherRolloutOptOuts(folders));
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, 'plan.md'), markdown);
  for (const plan of plans) fs.writeFileSync(path.join(out, chartFileName(plan)), planChart(plan));
  return [markdown.trimEnd(), `wrote ${path.join(relativeOut, 'plan.md')} and ${plans.length} charts (${path.join(relativeOut, '*.svg')})`].join('\n\n');
}

/** `npm run plan`. */
export const PLAN_COMMAND: Command = {
  name: 'plan',
  summary: 'writes the canary plan of every Rollout in dist/: steps, analysis windows, detection bounds and what the analysis cannot see',
  usage: USAGE,
  example: 'npm run plan -- --out reports/plan',
  run: (context, argv) => {
    warnIfCommitPending(context);
    return planCommand(context.root, argv);
  },
};
