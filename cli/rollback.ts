import { execFileSync } from 'child_process';
import { BuildRecords } from '../delivery/pins';
import { synthFleet } from '../delivery/synth/synth-fleet';
import { fail } from '../lib/errors';
import { ImageRef } from '../lib/workload';
import { Fleet, ReleasePins } from '../model';
import { Command, parseFlags, required } from './support/command';
import { Gates, OVERRIDE_HINT } from './support/gates';
import { ClosedGate } from './support/verdict-gates';

const USAGE = 'npm run rollback -- --service NAME --env ENV [--to IMAGE [--override "REASON"]]';

/**
 * `npm run rollback`: pins a service in an environment back to the image it had before, from the
 * pin file's Git history, or to `--to`, and re-synthesizes; it says what it reverts. The only way a
 * pin goes back. A `--to` never deployed there needs `--override "reason"`, which the output ends with
 * as commit trailers, as `release` and `promote` record theirs.
 */
export function rollbackCommand(fleet: Fleet, root: string, argv: string[]): string {
  const flags = parseFlags(argv, { service: 'string', env: 'string', to: 'string', override: 'string' }, USAGE);
  const service = fleet.service(required(flags.service, 'service', USAGE), '--service').name;
  const env = fleet.environment(required(flags.env, 'env', USAGE), '--env').name;
  const override = flags.override?.trim();
  if (flags.override !== undefined && (flags.to === undefined || !override || /[\u0000-\u001f]/.test(flags.override))) {
    fail({ at: 'rollback', field: '--override', value: flags.override, rule: 'must be a one-line reason, given with --to', fix: 'say why the image was never deployed here, e.g. --to IMAGE --override "hotfix built for incident 42"' });
  }
  const gates = new Gates('rollback', override);
  const output = synthFleet(fleet, root, {
    command: 'rollback',
    edit: pins => {
      const current = pins.get(env, service);
      if (!current) {
        return fail({ at: 'rollback', field: '--service', value: service, rule: `has no pin in ${env}, so there is nothing to roll back`, fix: 'check the service and environment with npm run fleet' });
      }
      const target = flags.to !== undefined
        ? { image: ImageRef.parse(flags.to, 'rollback', '--to'), source: 'given with --to' }
        : previousPin(root, pins, env, service, current);
      if (target.image.toString() === current.toString()) {
        fail({ at: 'rollback', field: '--to', value: flags.to, rule: `is what ${service} runs in ${env} already`, fix: 'name an earlier image' });
      }
      fleet.checkPin(env, service, target.image, 'rollback', '--to');
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
    ...pinHistory(root, pins.file(env)).map(({ pins: past }) => past[service]),
    BuildRecords.load(root, env).get(service)?.image,
    previous === undefined ? undefined : pins.get(previous, service)?.toString(),
  ];
  if (known.some(ref => typeof ref === 'string' && ref.endsWith(`@sha256:${image.digest}`))) return undefined;
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

/** The pin file at each commit that changed it, newest first; none outside Git. */
function pinHistory(root: string, file: string): { commit: string; pins: Record<string, unknown> }[] {
  let commits: string[] = [];
  try {
    commits = execFileSync('git', ['-C', root, 'log', '--format=%h', '--', file], { stdio: ['ignore', 'pipe', 'ignore'], encoding: 'utf-8' }).split('\n').filter(Boolean);
  } catch {
    // Not a Git checkout: no history.
  }
  return commits.flatMap(commit => {
    try {
      const pins = JSON.parse(execFileSync('git', ['-C', root, 'show', `${commit}:${file}`], { stdio: ['ignore', 'pipe', 'ignore'], encoding: 'utf-8' }));
      return typeof pins === 'object' && pins !== null ? [{ commit, pins: pins as Record<string, unknown> }] : [];
    } catch {
      // Deleted at that commit, or not JSON then: it pinned nothing.
      return [];
    }
  });
}

/** The pin a service had in an environment before its current one, from the pin file's history in Git. */
function previousPin(root: string, pins: ReleasePins, env: string, service: string, current: ImageRef): { image: ImageRef; source: string } {
  const file = pins.file(env);
  for (const { commit, pins: past } of pinHistory(root, file)) {
    const ref = past[service];
    if (typeof ref === 'string' && ref !== current.toString()) return { image: ImageRef.parse(ref, `${file}@${commit}`, service), source: `the pin in ${file} at commit ${commit}` };
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
