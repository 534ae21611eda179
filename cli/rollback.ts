import { BuildRecords } from '../delivery/pins';
import { synthFleet } from '../delivery/synth/synth-fleet';
import { pinHistory } from '../delivery/verdicts';
import { fail } from '../lib/errors';
import { ImageRef } from '../lib/workload';
import { Fleet, ReleasePins } from '../model';
import { Command, parseFlags, required } from './support/command';
import { Gates, OVERRIDE_HINT } from './support/gates';
import { ClosedGate, quarantineProblem } from './support/verdict-gates';

const USAGE = 'npm run rollback -- --service NAME --env ENV [--to IMAGE] [--override "REASON"]';

/** The image a rollback pins, where it was read (as errors name it: `at` and `field`), and the words that say so. */
interface Target {
  readonly image: ImageRef;
  readonly source: string;
  readonly at: string;
  readonly field: string;
}

/**
 * `npm run rollback`: pins a service in an environment back to the image it had before, from the
 * pin file's Git history, or to `--to`, and re-synthesizes; it says what it reverts. The only way a
 * pin goes back. Its gates, each passed by `--override "reason"`, which the output ends with as commit
 * trailers, as `release` and `promote` record theirs: a digest an analysis failed, whether given with
 * `--to` or the pin before (after an abort's revert, the pin before is the aborted digest), and a
 * `--to` never deployed there.
 */
export function rollbackCommand(fleet: Fleet, root: string, argv: string[]): string {
  const flags = parseFlags(argv, { service: 'string', env: 'string', to: 'string', override: 'string' }, USAGE);
  const gates = new Gates('rollback', flags.override);
  const service = fleet.service(required(flags.service, 'service', USAGE), '--service').name;
  const env = fleet.environment(required(flags.env, 'env', USAGE), '--env').name;
  const output = synthFleet(fleet, root, {
    command: 'rollback',
    edit: pins => {
      const current = pins.get(env, service);
      if (!current) {
        return fail({ at: 'rollback', field: '--service', value: service, rule: `has no pin in ${env}, so there is nothing to roll back`, fix: 'check the service and environment with npm run fleet' });
      }
      const target: Target = flags.to !== undefined
        ? { image: ImageRef.parse(flags.to, 'rollback', '--to'), source: 'given with --to', at: 'rollback', field: '--to' }
        : previousPin(root, pins, env, service, current);
      if (target.image.toString() === current.toString()) {
        fail({ at: 'rollback', field: '--to', value: flags.to, rule: `is what ${service} runs in ${env} already`, fix: 'name an earlier image' });
      }
      fleet.checkPin(env, service, target.image, 'rollback', '--to');
      const quarantine = quarantineProblem(fleet, root, target.at, target.field, target.image, 'roll back to another image with --to IMAGE');
      if (quarantine) gates.close(quarantine.problem, quarantine.trailer);
      const undeployed = flags.to === undefined ? undefined : undeployedGate(fleet, root, pins, env, service, target.image);
      if (undeployed) gates.close(undeployed.problem, undeployed.trailer);
      const next = pins.with(env, service, target.image);
      const extraFiles = new Map([[next.file(env), next.render(env)]]);
      // The build record named the image rolled away from: without it, the next release of any build lands.
      const builds = BuildRecords.load(root, env);
      if (builds.get(service)) extraFiles.set(builds.file, builds.without(service).render());
      return { pins: next, extraFiles, message: `rolled back ${service} in ${env}: ${current} → ${target.image} (${target.source})`, only: { environment: env, service } };
    },
  });
  return [output, ...gates.trailers()].join('\n');
}

/**
 * The gate on a digest never deployed in the environment (no pin of it in the pin file's Git history,
 * nor a build record) nor pinned in the environment before it: a rollback goes back, never to an
 * untested build, unless overridden.
 */
function undeployedGate(fleet: Fleet, root: string, pins: ReleasePins, env: string, service: string, image: ImageRef): ClosedGate | undefined {
  const order = fleet.environments.map(e => e.name);
  const previous = order[order.indexOf(env) - 1];
  const known = [
    ...pinHistory(root, env, service).map(pin => pin.image),
    BuildRecords.load(root, env).get(service)?.image,
    previous === undefined ? undefined : pins.get(previous, service)?.toString(),
  ];
  if (known.some(ref => ref?.endsWith(`@sha256:${image.digest}`))) return undefined;
  const before = previous ?? 'an environment before it';
  return {
    problem: {
      at: 'rollback', field: '--to', value: image.toString(),
      rule: `was never deployed in ${env} (no pin of that digest in the Git history of ${pins.file(env)}) nor is it pinned in ${before}`,
      fix: `roll back to a digest that ran here, ${OVERRIDE_HINT}`,
    },
    trailer: `Undeployed-Rollback: sha256:${image.digest} (never deployed in ${env} nor pinned in ${before})`,
  };
}

/** The pin a service had in an environment before its current one, from the pin file's history in Git. */
function previousPin(root: string, pins: ReleasePins, env: string, service: string, current: ImageRef): Target {
  const file = pins.file(env);
  const pin = pinHistory(root, env, service).find(({ image }) => image !== current.toString());
  if (pin) {
    const at = `${file}@${pin.commit}`;
    return { image: ImageRef.parse(pin.image, at, service), source: `the pin in ${file} at commit ${pin.commit}`, at, field: service };
  }
  return fail({
    at: 'rollback', field: '--to', value: undefined, rule: `${file} has no earlier pin of ${service} in Git's history`,
    fix: 'name the image to go back to with --to REGISTRY/REPO@sha256:DIGEST',
  });
}

/** `npm run rollback`. */
export const ROLLBACK_COMMAND: Command = {
  name: 'rollback',
  summary: 'pins a service back to the image it ran before in one environment, or to a given one',
  usage: USAGE,
  example: 'npm run rollback -- --service api --env production',
  run: ({ fleet, root }, argv) => rollbackCommand(fleet(), root, argv),
};
