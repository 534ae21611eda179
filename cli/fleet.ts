import { loadPins } from '../delivery/pins';
import { Fleet } from '../model';
import { Command, parseFlags, warnIfCommitPending } from './support/command';

const USAGE = 'npm run fleet [-- --json]';

/** `npm run fleet`: the services × environments and their pinned images, as a table or JSON. */
export function fleetCommand(fleet: Fleet, root: string, argv: string[]): string {
  const flags = parseFlags(argv, { json: 'boolean' }, USAGE);
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
