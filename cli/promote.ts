import { loadPins } from '../delivery/pins';
import { pinAndSynth } from '../delivery/synth/synth-fleet';
import { fail } from '../lib/errors';
import { Fleet } from '../model';
import { Command, parseFlags, required } from './support/command';
import { Gates, OVERRIDE_HINT } from './support/gates';
import { evidenceProblem, quarantineProblem } from './support/verdict-gates';

const USAGE = 'npm run promote -- --service NAME --from ENV --to ENV [--override "WHY"] | --auto';

/**
 * `npm run promote`: copies a service's pin from one environment to the next one in the fleet's
 * promotion order and re-synthesizes, only on evidence: the digest was verified in the source
 * environment at least its soak time ago, and is quarantined nowhere. Skipping environments, and
 * every other gate, needs `--override "reason"`, which the output gives as commit trailers; going
 * back is `npm run rollback`.
 */
export function promoteCommand(fleet: Fleet, root: string, argv: string[], now: Date = new Date()): string {
  const flags = parseFlags(argv, { service: 'string', from: 'string', to: 'string', override: 'string', auto: 'boolean' }, USAGE);
  if (flags.auto) {
    const other = (['service', 'from', 'to', 'override'] as const).find(name => flags[name] !== undefined);
    if (other) fail({ at: 'promote', field: `--${other}`, value: flags[other], rule: 'is not taken with --auto', fix: 'give --auto alone, or name one promotion without it' });
    return autoPromote(fleet, root, now);
  }
  const gates = new Gates('promote', flags.override);
  const service = fleet.service(required(flags.service, 'service', USAGE), '--service').name;
  const from = fleet.environment(required(flags.from, 'from', USAGE), '--from').name;
  const to = fleet.environment(required(flags.to, 'to', USAGE), '--to').name;
  const order = fleet.environmentsOf(fleet.service(service)).map(e => e.name);
  const [fromIndex, toIndex] = [order.indexOf(from), order.indexOf(to)];
  if (from === to) fail({ at: 'promote', field: '--to', value: to, rule: "must differ from '--from'", fix: 'promote to the next environment' });
  if (toIndex < fromIndex) {
    fail({
      at: 'promote', field: '--to', value: to, rule: `comes before '${from}' in the promotion order (${order.join(' → ')})`,
      fix: `go back with npm run rollback -- --service ${service} --env ${to}`,
    });
  }
  const skipped = order.slice(fromIndex + 1, toIndex);
  if (skipped.length > 0) {
    gates.close({
      at: 'promote', field: '--to', value: to, rule: `skips ${skipped.join(', ')} in the promotion order (${order.join(' → ')})`,
      fix: `promote to ${order[fromIndex + 1]} first, ${OVERRIDE_HINT}`,
    }, `Skipped-Environments: ${skipped.join(', ')}`);
  }
  const output = pinAndSynth(fleet, root, 'promote', to, service, pins => {
    const image = pins.get(from, service);
    if (!image) {
      return fail({
        at: 'promote', field: '--from', value: from, rule: `service '${service}' has no pin there, so there is nothing to promote`,
        fix: `release it there first with npm run release -- --service ${service} --env ${from} --image ...`,
      });
    }
    fleet.checkPin(to, service, image, 'promote', '--to');
    const quarantine = quarantineProblem(fleet, root, 'promote', '--from', image);
    if (quarantine) gates.close(quarantine.problem, quarantine.trailer);
    const evidence = evidenceProblem(fleet, root, from, service, image, now);
    if (evidence) gates.close(evidence.problem, evidence.trailer);
    return image;
  });
  return [output, ...gates.trailers()].join('\n');
}

/**
 * `npm run promote -- --auto`: every promotion out of an environment with `autoPromote` whose digest is
 * verified there, soaked and quarantined nowhere, each through the same locked commit as a promotion by
 * hand; the scheduled infra job runs it. Lines say what was promoted and what still waits, and why.
 */
function autoPromote(fleet: Fleet, root: string, now: Date): string {
  const pins = loadPins(fleet, root);
  const done: string[] = [];
  const waiting: string[] = [];
  for (const service of fleet.services) {
    const order = fleet.environmentsOf(service);
    order.slice(0, -1).forEach((from, index) => {
      const to = order[index + 1];
      const image = pins.get(from.name, service.name);
      if (!from.autoPromote || !image || pins.get(to.name, service.name)?.digest === image.digest) return;
      const closed = quarantineProblem(fleet, root, 'promote', '--from', image) ?? evidenceProblem(fleet, root, from.name, service.name, image, now);
      if (closed) {
        waiting.push(`waiting: ${service.name} ${from.name} → ${to.name}: ${closed.problem.rule}`);
        return;
      }
      done.push(promoteCommand(fleet, root, ['--service', service.name, '--from', from.name, '--to', to.name], now));
    });
  }
  return [...done, ...waiting, ...(done.length === 0 ? ['nothing to promote: no verified, soaked digest waits in an environment with autoPromote'] : [])].join('\n');
}

/** `npm run promote`. */
export const PROMOTE_COMMAND: Command = {
  name: 'promote',
  summary: 'pins the image a service runs in one environment in the next one',
  usage: USAGE,
  example: 'npm run promote -- --service api --from staging --to production',
  run: ({ fleet, root }, argv) => promoteCommand(fleet(), root, argv),
};
