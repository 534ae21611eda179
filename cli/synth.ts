import * as fs from 'fs';
import * as path from 'path';
import { Fleet } from '../lib/fleet';
import { DIST } from '../lib/synth';
import { parseFlags } from './command';
import { describeSynth, synthFleet } from './synth-fleet';

const USAGE = 'npm run synth [-- --allow-prune]';

/**
 * `npm run synth`: synthesizes the fleet into `dist/`. Under `npx cdk8s synth` the result is also
 * copied into cdk8s's output folder (`CDK8S_OUTDIR`), which cdk8s empties before every run.
 */
export function synthCommand(fleet: Fleet, root: string, argv: string[]): string {
  const flags = parseFlags(argv, { 'allow-prune': 'boolean' }, USAGE);
  const result = synthFleet(fleet, root, { allowPrune: flags['allow-prune'] || process.env.ALLOW_PRUNE === '1' });
  const cdk8sOutdir = process.env.CDK8S_OUTDIR;
  if (cdk8sOutdir) fs.cpSync(path.join(root, DIST), path.resolve(root, cdk8sOutdir), { recursive: true });
  return describeSynth(result);
}
