import { execFileSync } from 'child_process';
import { BuildRecords } from '../delivery/pins';
import { synthFleet } from '../delivery/synth/synth-fleet';
import { fail } from '../lib/errors';
import { ImageRef } from '../lib/workload';
import { Fleet, ReleasePins } from '../model';
import { Command, parseFlags, required } from './support/command';

const USAGE = 'npm run rollback -- --service NAME --env ENV [--to IMAGE]';

/**
 * `npm run rollback`: pins a service in an environment back to the image it had before, from the
 * pin file's Git history, or to `--to`, and re-synthesizes; it says what it reverts. The only way a
 * pin goes back.
 */
export function rollbackCommand(fleet: Fleet, root: string, argv: string[]): string {
  const flags = parseFlags(argv, { service: 'string', env: 'string', to: 'string' }, USAGE);
  const service = fleet.service(required(flags.service, 'service', USAGE), '--service').name;
  const env = fleet.environment(required(flags.env, 'env', USAGE), '--env').name;
  return synthFleet(fleet, root, {
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
      const next = pins.with(env, service, target.image);
      const extraFiles = new Map([[next.file(env), next.render(env)]]);
      // The build record named the image rolled away from: without it, the next release of any build lands.
      const builds = BuildRecords.load(root, env);
      if (builds.get(service)) extraFiles.set(builds.file, builds.without(service).render());
      return { pins: next, extraFiles, message: `rolled back ${service} in ${env}: ${current} → ${target.image} (${target.source})`, only: { environment: env, service } };
    },
  });
}

/** The pin a service had in an environment before its current one, from the pin file's history in Git. */
function previousPin(root: string, pins: ReleasePins, env: string, service: string, current: ImageRef): { image: ImageRef; source: string } {
  const file = pins.file(env);
  let commits: string[] = [];
  try {
    commits = execFileSync('git', ['-C', root, 'log', '--format=%h', '--', file], { stdio: ['ignore', 'pipe', 'ignore'], encoding: 'utf-8' }).split('\n').filter(Boolean);
  } catch {
    // Not a Git checkout: no history.
  }
  for (const commit of commits) {
    const ref = (JSON.parse(execFileSync('git', ['-C', root, 'show', `${commit}:${file}`], { encoding: 'utf-8' })) as Record<string, unknown>)[service];
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
