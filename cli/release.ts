import { Fleet, ImageRef } from '../lib/fleet';
import { parseFlags, required } from './command';
import { pinAndSynth } from './synth-fleet';

const USAGE = 'npm run release -- --service NAME --env ENV --image REGISTRY/REPO[:TAG]@sha256:DIGEST';

/** `npm run release`: pins a digest for a service in an environment and re-synthesizes, atomically. */
export function releaseCommand(fleet: Fleet, root: string, argv: string[]): string {
  const flags = parseFlags(argv, { service: 'string', env: 'string', image: 'string' }, USAGE);
  const service = fleet.service(required(flags.service, 'service', USAGE), '--service').name;
  const env = fleet.environment(required(flags.env, 'env', USAGE), '--env').name;
  const image = ImageRef.parse(required(flags.image, 'image', USAGE), 'release', '--image');
  fleet.checkPin(env, service, image, 'release', '--image');
  return pinAndSynth(fleet, root, 'release', env, service, () => image);
}
