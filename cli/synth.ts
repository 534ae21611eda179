import * as fs from 'fs';
import * as path from 'path';
import { DIST } from '../delivery/commit';
import { loadPins } from '../delivery/pins';
import { synthFleet } from '../delivery/synth/synth-fleet';
import { Fleet, ReleasePins } from '../model';
import { Command, parseFlags } from './support/command';

const USAGE = 'npm run synth [-- --allow-prune]';

/**
 * `npm run synth`: synthesizes the fleet into `dist/`. Under `npx cdk8s synth` the result is also
 * copied into cdk8s's output folder (`CDK8S_OUTDIR`), which cdk8s empties before every run.
 */
export function synthCommand(fleet: Fleet, root: string, argv: string[]): string {
  const flags = parseFlags(argv, { 'allow-prune': 'boolean' }, USAGE);
  const cdk8sOutdir = process.env.CDK8S_OUTDIR;
  const output = synthFleet(fleet, root, {
    command: 'synth',
    allowPrune: flags['allow-prune'] || process.env.ALLOW_PRUNE === '1',
    after: cdk8sOutdir ? () => fs.cpSync(path.join(root, DIST), path.resolve(root, cdk8sOutdir), { recursive: true }) : undefined,
  });
  return [output, ...notDeployed(fleet, loadPins(fleet, root)).map(note => `note: ${note}`)].join('\n');
}

/** A service of fleet.ts without a pin anywhere has no Application yet: how to deploy it, one line each. */
export function notDeployed(fleet: Fleet, pins: ReleasePins): string[] {
  return fleet.services.filter(s => fleet.environments.every(e => !pins.get(e.name, s.name))).map(service => {
    const environments = fleet.environmentsOf(service).map(e => e.name);
    return `${service.name}: not deployed in ${environments.join(', ')}; release it with npm run release -- --service ${service.name} --env ${environments[0]} --image ${service.imageRepository}@sha256:…`;
  });
}

/** `npm run synth`. */
export const SYNTH_COMMAND: Command = {
  name: 'synth',
  summary: 'synthesizes the fleet of fleet.ts and the pins of releases/ into dist/, through the locked crash-safe commit',
  usage: USAGE,
  example: 'npm run synth',
  run: ({ fleet, root }, argv) => synthCommand(fleet(), root, argv),
};
