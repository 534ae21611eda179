import { BuildRecord, BuildRecords } from '../delivery/pins';
import { deployedBefore, synthFleet } from '../delivery/synth/synth-fleet';
import { fail } from '../lib/errors';
import { ImageRef } from '../lib/workload';
import { Fleet } from '../model';
import { Command, parseFlags, required } from './support/command';
import { Gates } from './support/gates';
import { quarantineProblem } from './support/verdict-gates';

const USAGE = 'npm run release -- --service NAME --env ENV --image REGISTRY/REPO[:TAG]@sha256:DIGEST [--source-commit SHA --built-at ISO8601] [--override "WHY"]';

/**
 * `npm run release`: pins a digest for a service in an environment and re-synthesizes, atomically.
 * With `--source-commit` and `--built-at` (CI passes both) it records the build beside the pin and
 * refuses a build older than the one pinned: when two pipelines' pushes cross, the older never wins.
 * A digest an analysis failed (quarantined by `npm run verdict`) is refused unless `--override "reason"`.
 */
export function releaseCommand(fleet: Fleet, root: string, argv: string[]): string {
  const flags = parseFlags(argv, {
    'service': 'string', 'env': 'string', 'image': 'string', 'source-commit': 'string', 'built-at': 'string', 'override': 'string',
  }, USAGE);
  const gates = new Gates('release', flags.override);
  const service = fleet.service(required(flags.service, 'service', USAGE), '--service').name;
  const env = fleet.environment(required(flags.env, 'env', USAGE), '--env').name;
  const image = ImageRef.parse(required(flags.image, 'image', USAGE), 'release', '--image');
  fleet.checkPin(env, service, image, 'release', '--image');
  const record = buildRecord(flags['source-commit'], flags['built-at'], image);
  const output = synthFleet(fleet, root, {
    command: 'release',
    edit: current => {
      const quarantine = quarantineProblem(fleet, root, 'release', '--image', image);
      if (quarantine) gates.close(quarantine.problem, quarantine.trailer);
      const pins = current.with(env, service, image);
      const extraFiles = new Map([[pins.file(env), pins.render(env)]]);
      if (record) {
        const builds = BuildRecords.load(root, env);
        const pinned = builds.get(service);
        // Pipelines race: the older build losing is the expected outcome, not a failure.
        if (pinned && Date.parse(pinned.builtAt) > Date.parse(record.builtAt)) {
          return `nothing to release: a newer build is pinned (${service} in ${env} runs commit ${pinned.commit}, built at ${pinned.builtAt}; this build of commit ${record.commit} is from ${record.builtAt}); to go back to it, use npm run rollback`;
        }
        extraFiles.set(builds.file, builds.with(service, record).render());
      } else {
        // A release by hand pins an image of unknown build: the record of the one it replaces would be false.
        const builds = BuildRecords.load(root, env);
        if (builds.get(service)) extraFiles.set(builds.file, builds.without(service).render());
      }
      return { pins, extraFiles, message: `pinned ${service} in ${env} to ${image}`, only: deployedBefore(current, env, service) };
    },
  });
  return [output, ...gates.trailers()].join('\n');
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const EARLIEST_BUILD = Date.parse('2000-01-01T00:00:00Z');
/** How far ahead of this machine's clock a build machine's may run. */
const CLOCK_SKEW_MS = 5 * 60_000;

/** The build record the flags describe: both flags or neither. */
function buildRecord(commit: string | undefined, builtAt: string | undefined, image: ImageRef): BuildRecord | undefined {
  if (commit === undefined && builtAt === undefined) return undefined;
  if (!commit || !/^[0-9a-f]{7,64}$/.test(commit)) {
    fail({ at: 'release', field: '--source-commit', value: commit, rule: 'must be the hex commit the image was built from', fix: 'pass ${{ github.sha }} with --built-at' });
  }
  const fix = 'pass the commit time, e.g. ${{ github.event.head_commit.timestamp }}, with --source-commit';
  // Date.parse reads '1' as the year 2001: only a full ISO 8601 date and time, with its zone, is a build time.
  if (!builtAt || !ISO_TIME.test(builtAt) || Number.isNaN(Date.parse(builtAt))) {
    fail({ at: 'release', field: '--built-at', value: builtAt, rule: 'must be an ISO 8601 time with a zone, e.g. 2026-01-01T12:00:00Z', fix });
  }
  const time = Date.parse(builtAt);
  if (time < EARLIEST_BUILD) fail({ at: 'release', field: '--built-at', value: builtAt, rule: 'is before 2000-01-01', fix });
  // A build from the future would be newer than every later build, and block their releases.
  if (time > Date.now() + CLOCK_SKEW_MS) {
    fail({ at: 'release', field: '--built-at', value: builtAt, rule: `is more than ${CLOCK_SKEW_MS / 60_000} minutes in the future`, fix: `${fix}, and check the build machine's clock` });
  }
  return { image: image.toString(), commit, builtAt };
}

/** `npm run release`. */
export const RELEASE_COMMAND: Command = {
  name: 'release',
  summary: 'pins a digest-pinned image of a service in one environment and re-synthesizes its folder',
  usage: USAGE,
  example: 'npm run release -- --service api --env staging --image ghcr.io/acme/api@sha256:0000000000000000000000000000000000000000000000000000000000000000',
  run: ({ fleet, root }, argv) => releaseCommand(fleet(), root, argv),
};
