import { Duration } from 'cdk8s';
import { loadPins } from '../delivery/pins';
import { VerdictRecords, describePinStatus, pinStatus } from '../delivery/verdicts';
import { Fleet } from '../model';
import { Command, parseFlags, warnIfCommitPending } from './support/command';

const USAGE = 'npm run fleet [-- --json]';

/**
 * `npm run fleet`: the services × environments, their pinned images and what the canaries' verdicts
 * say of each (verified and when, soak left, aborted and quarantined by which run, inconclusive,
 * pending), as a table or JSON.
 */
export function fleetCommand(fleet: Fleet, root: string, argv: string[], now: Date = new Date()): string {
  const flags = parseFlags(argv, { json: 'boolean' }, USAGE);
  const pins = loadPins(fleet, root);
  const verdicts = new Map(fleet.environments.map(e => [e.name, VerdictRecords.load(root, e.name)]));
  const statusOf = (env: string, service: string) => {
    const image = pins.get(env, service)?.toString();
    return image ? pinStatus(verdicts.get(env)!, service, image, fleet.soakTime(env).toMilliseconds(), now) : null;
  };
  const rows = fleet.services.map(service => ({
    service: service.name,
    language: service.language.name,
    images: Object.fromEntries(fleet.environments.map(env => [
      env.name,
      fleet.environmentsOf(service).includes(env) ? pins.get(env.name, service.name)?.toString() ?? null : null,
    ])),
    verdicts: Object.fromEntries(fleet.environments.map(env => [
      env.name,
      fleet.environmentsOf(service).includes(env) ? statusOf(env.name, service.name) : null,
    ])),
  }));
  if (flags.json) return JSON.stringify({ fleet: fleet.name, environments: fleet.environments.map(e => e.name), services: rows }, null, 2);
  const header = ['SERVICE', 'LANGUAGE', ...fleet.environments.map(e => e.name.toUpperCase())];
  const human = (ms: number) => Duration.millis(Math.ceil(ms / 60_000) * 60_000).toHumanString();
  const cell = (r: typeof rows[number], env: string) => {
    const status = r.verdicts[env];
    return r.images[env] ? `${r.images[env]} (${status ? describePinStatus(status, human) : 'pending'})` : '-';
  };
  const lines = rows.map(r => [r.service, r.language, ...fleet.environments.map(e => cell(r, e.name))]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map(l => l[i].length)));
  return [header, ...lines].map(cells => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}

/** `npm run fleet`. */
export const FLEET_COMMAND: Command = {
  name: 'fleet',
  summary: 'lists every service, where it runs and which image each environment pins',
  usage: USAGE,
  example: 'npm run fleet -- --json',
  run: (context, argv) => {
    warnIfCommitPending(context);
    return fleetCommand(context.fleet(), context.root, argv);
  },
};
