import { fail } from '../lib/errors';
import { Fleet } from '../lib/fleet';
import { parseFlags, required } from './command';
import { pinAndSynth } from './synth-fleet';

const USAGE = 'npm run promote -- --service NAME --from ENV --to ENV';

/** `npm run promote`: copies a service's pin from one environment to the next and re-synthesizes. */
export function promoteCommand(fleet: Fleet, root: string, argv: string[]): string {
  const flags = parseFlags(argv, { service: 'string', from: 'string', to: 'string' }, USAGE);
  const service = fleet.service(required(flags.service, 'service', USAGE), '--service').name;
  const from = fleet.environment(required(flags.from, 'from', USAGE), '--from').name;
  const to = fleet.environment(required(flags.to, 'to', USAGE), '--to').name;
  if (from === to) fail({ at: 'promote', field: '--to', value: to, rule: "must differ from '--from'", fix: 'promote to the next environment' });
  return pinAndSynth(fleet, root, 'promote', to, service, pins => {
    const image = pins.get(from, service);
    if (!image) {
      return fail({
        at: 'promote', field: '--from', value: from, rule: `service '${service}' has no pin there, so there is nothing to promote`,
        fix: `release it there first with npm run release -- --service ${service} --env ${from} --image ...`,
      });
    }
    fleet.checkPin(to, service, image, 'promote', '--to');
    return image;
  });
}
