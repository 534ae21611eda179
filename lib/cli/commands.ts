import * as fs from 'fs';
import * as path from 'path';
import { parseFlags, required } from './command';
import { describeSynth, synthFleet } from './synth-fleet';
import { Fleet } from '../fleet/fleet';
import { ImageRef } from '../fleet/image-ref';
import { ReleasePins } from '../fleet/release-pins';
import { DIST } from '../synth/safe-synth';
import { ConfigError } from '../util/errors';

const SYNTH_USAGE = 'npm run synth [-- --allow-prune]';
const RELEASE_USAGE = 'npm run release -- --service NAME --env ENV --image REGISTRY/REPO[:TAG]@sha256:DIGEST';
const PROMOTE_USAGE = 'npm run promote -- --service NAME --from ENV --to ENV';
const FLEET_USAGE = 'npm run fleet [-- --json]';

/**
 * `npm run synth`: synthesizes the fleet into `dist/`. Under `npx cdk8s synth` the result is also
 * copied into cdk8s's output folder (`CDK8S_OUTDIR`), which cdk8s empties before every run.
 */
export function synthCommand(fleet: Fleet, root: string, argv: string[]): string {
  const flags = parseFlags(argv, { 'allow-prune': 'boolean' }, SYNTH_USAGE);
  const result = synthFleet(fleet, root, { allowPrune: flags['allow-prune'] || process.env.ALLOW_PRUNE === '1' });
  const cdk8sOutdir = process.env.CDK8S_OUTDIR;
  if (cdk8sOutdir) fs.cpSync(path.join(root, DIST), path.resolve(root, cdk8sOutdir), { recursive: true });
  return describeSynth(result);
}

/** `npm run release`: pins a digest for a service in an environment and re-synthesizes, atomically. */
export function releaseCommand(fleet: Fleet, root: string, argv: string[]): string {
  const flags = parseFlags(argv, { service: 'string', env: 'string', image: 'string' }, RELEASE_USAGE);
  const service = fleet.service(required(flags.service, 'service', RELEASE_USAGE), '--service').name;
  const env = fleet.environment(required(flags.env, 'env', RELEASE_USAGE), '--env').name;
  const image = ImageRef.parse(required(flags.image, 'image', RELEASE_USAGE), '--image');
  fleet.checkPin(env, service, image, '--image');
  return writePin(fleet, root, env, service, image);
}

/** `npm run promote`: copies a service's pin from one environment to the next and re-synthesizes. */
export function promoteCommand(fleet: Fleet, root: string, argv: string[]): string {
  const flags = parseFlags(argv, { service: 'string', from: 'string', to: 'string' }, PROMOTE_USAGE);
  const service = fleet.service(required(flags.service, 'service', PROMOTE_USAGE), '--service').name;
  const from = fleet.environment(required(flags.from, 'from', PROMOTE_USAGE), '--from').name;
  const to = fleet.environment(required(flags.to, 'to', PROMOTE_USAGE), '--to').name;
  if (from === to) throw new ConfigError(`'--to' is '${to}': it must differ from '--from'; promote to the next environment`);
  const image = loadPins(fleet, root).get(from, service);
  if (!image) {
    throw new ConfigError(`'--from' is '${from}': service '${service}' has no pin there, so there is nothing to promote; release it there first with npm run release -- --service ${service} --env ${from} --image ...`);
  }
  fleet.checkPin(to, service, image, '--to');
  return writePin(fleet, root, to, service, image);
}

/** `npm run fleet`: the services × environments and their pinned images, as a table or JSON. */
export function fleetCommand(fleet: Fleet, root: string, argv: string[]): string {
  const flags = parseFlags(argv, { json: 'boolean' }, FLEET_USAGE);
  const pins = loadPins(fleet, root);
  const rows = fleet.services.map(service => ({
    service: service.name,
    language: service.language.name,
    images: Object.fromEntries(fleet.environments.map(env => [
      env.name,
      fleet.environmentsOf(service).includes(env) ? pins.get(env.name, service.name)?.toString() ?? null : null,
    ])),
  }));
  if (flags.json) return JSON.stringify({ fleet: fleet.name, environments: fleet.environments.map(e => e.name), services: rows }, null, 2);
  const header = ['SERVICE', 'LANGUAGE', ...fleet.environments.map(e => e.name.toUpperCase())];
  const lines = rows.map(r => [r.service, r.language, ...fleet.environments.map(e => r.images[e.name] ?? '-')]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map(l => l[i].length)));
  return [header, ...lines].map(cells => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}

function loadPins(fleet: Fleet, root: string): ReleasePins {
  return ReleasePins.load(root, fleet.environments.map(e => e.name));
}

function writePin(fleet: Fleet, root: string, env: string, service: string, image: ImageRef): string {
  const pins = loadPins(fleet, root).with(env, service, image);
  const result = synthFleet(fleet, root, { pins, extraFiles: new Map([[pins.file(env), pins.render(env)]]) });
  return `pinned ${service} in ${env} to ${image}\n${describeSynth(result)}`;
}
