import * as fs from 'fs';
import * as path from 'path';
import { BuildRecords } from '../delivery/pins';
import { KubeObject, readServiceFolders } from '../delivery/plan';
import { synthFleet } from '../delivery/synth/synth-fleet';
import { fail } from '../lib/errors';
import { Fleet, Layout } from '../model';
import { Command, parseFlags, required } from './support/command';

const USAGE = 'npm run retire -- --service NAME [--env ENV]';

/**
 * `npm run retire`: takes a service out of one environment, or of every one, in one locked commit: its
 * pins, its build records and its folders of `dist/` go, and the prune guard lets exactly those folders
 * go. It works while the service is still in fleet.ts (it is then listed as not deployed) and after it
 * was removed from there, when its pins would otherwise stop every synth. It says what Argo CD deletes.
 */
export function retireCommand(fleet: Fleet, root: string, argv: string[]): string {
  const flags = parseFlags(argv, { service: 'string', env: 'string' }, USAGE);
  const service = required(flags.service, 'service', USAGE);
  const env = flags.env === undefined ? undefined : fleet.environment(flags.env, '--env').name;
  const inFleet = fleet.services.some(s => s.name === service);
  const dist = path.join(root, Layout.dist);
  // Read before the synth replaces dist/: what Argo CD syncs from the folders that go.
  const objects = new Map(readServiceFolders(dist).filter(f => f.service === service).map(f => [f.environment, f.objects]));
  return synthFleet(fleet, root, {
    command: 'retire',
    edit: current => {
      const pinned = fleet.environments.map(e => e.name).filter(name => current.get(name, service));
      const environments = env === undefined ? pinned : [env];
      if (environments.length === 0) {
        fail({
          at: 'retire', field: '--service', value: service,
          rule: inFleet ? 'has no pin in any environment, so there is nothing to retire' : 'is neither a service of fleet.ts nor pinned in any environment',
          fix: 'see what runs where with npm run fleet',
        });
      }
      if (env !== undefined && !pinned.includes(env)) {
        fail({ at: 'retire', field: '--env', value: env, rule: `${service} has no pin in ${env}, so there is nothing to retire`, fix: `retire it where it runs: ${pinned.join(', ') || 'nowhere'}` });
      }
      let pins = current;
      const extraFiles = new Map<string, string>();
      for (const name of environments) {
        pins = pins.without(name, service);
        extraFiles.set(pins.file(name), pins.render(name));
        const builds = BuildRecords.load(root, name);
        if (builds.get(service)) extraFiles.set(builds.file, builds.without(service).render());
      }
      const everywhere = fleet.environments.every(e => !pins.get(e.name, service));
      // While the service is in fleet.ts its CI workflows stay: they are how it is released again.
      const ci = everywhere && !inFleet && fs.existsSync(path.join(root, Layout.serviceCi(service))) ? [Layout.serviceCi(service)] : [];
      const removes = [...environments.map(name => Layout.service(name, service)).filter(folder => fs.existsSync(path.join(root, folder))), ...ci];
      const message = [
        `retired ${service} from ${environments.join(', ')}: removed its pins${[...extraFiles.keys()].some(f => f.endsWith('.builds.json')) ? ' and build records' : ''}`,
        ...environments.map(name => argoDeletes(fleet, name, objects.get(name) ?? [])),
        `removed ${removes.length ? removes.map(f => `${f}/`).join(', ') : 'no folder of dist/'}`,
        ...(inFleet && everywhere ? [`${service} is still in fleet.ts, now not deployed anywhere; remove it there to drop its CI workflows (${Layout.serviceCi(service)}/)`] : []),
      ].join('\n');
      return { pins, extraFiles, message, removes };
    },
  });
}

/** What Argo CD deletes in an environment when a service's Application and folder go, by kind/name. */
function argoDeletes(fleet: Fleet, environment: string, objects: readonly KubeObject[]): string {
  const namespace = fleet.environment(environment).namespace;
  const names = objects.map(o => `${o.kind}/${o.metadata.name}`).sort();
  return `argo cd will delete in ${environment} (namespace ${namespace}): ${names.length ? names.join(', ') : 'nothing it synced from dist/'}`;
}

/** `npm run retire`. */
export const RETIRE_COMMAND: Command = {
  name: 'retire',
  summary: "removes a service's pins, build records and dist/ folders from one environment or all, and says what Argo CD will delete",
  usage: USAGE,
  example: 'npm run retire -- --service web --env production',
  run: ({ fleet, root }, argv) => retireCommand(fleet(), root, argv),
};
