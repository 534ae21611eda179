import { parseFlags, required } from './command';
import { pinAndSynth } from './synth-fleet';
import { Fleet } from '../lib/fleet';
import { ConfigError } from '../lib/errors';

const USAGE = 'npm run promote -- --service NAME --from ENV --to ENV';

/** `npm run promote`: copies a service's pin from one environment to the next and re-synthesizes. */
export function promoteCommand(fleet: Fleet, root: string, argv: string[]): string {
  const flags = parseFlags(argv, { service: 'string', from: 'string', to: 'string' }, USAGE);
  const service = fleet.service(required(flags.service, 'service', USAGE), '--service').name;
  const from = fleet.environment(required(flags.from, 'from', USAGE), '--from').name;
  const to = fleet.environment(required(flags.to, 'to', USAGE), '--to').name;
  if (from === to) throw new ConfigError(`'--to' is '${to}': it must differ from '--from'; promote to the next environment`);
  const image = fleet.loadPins(root).get(from, service);
  if (!image) {
    throw new ConfigError(`'--from' is '${from}': service '${service}' has no pin there, so there is nothing to promote; release it there first with npm run release -- --service ${service} --env ${from} --image ...`);
  }
  fleet.checkPin(to, service, image, '--to');
  return pinAndSynth(fleet, root, to, service, image);
}
