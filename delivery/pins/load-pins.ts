import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { fail } from '../../lib/errors/problem';
import { ImageRef } from '../../lib/workload/image-ref';
import { Fleet } from '../../model/fleet';
import { Layout } from '../../model/layout';
import { ReleasePins } from '../../model/release-pins';

/**
 * Reads `releases/<env>.json` under `root` for each environment of the fleet; a missing file means
 * nothing is pinned there yet.
 * @throws ConfigError naming the file, the key and the value of a malformed pin, or a stray file
 */
export function loadPins(fleet: Fleet, root: string): ReleasePins {
  const environments = fleet.environments.map(e => e.name);
  const files = (env: string) => [Layout.pinFile(env), Layout.buildsFile(env), Layout.verdictsFile(env)];
  const known = new Set(environments.flatMap(env => files(env).map(f => path.posix.basename(f))));
  const folder = path.join(root, Layout.releases);
  // A file here that is no pin file would be ignored, or staged and pushed by a pipeline.
  for (const name of fs.existsSync(folder) ? fs.readdirSync(folder).sort() : []) {
    if (!known.has(name)) {
      fail({ at: `${Layout.releases}/${name}`, field: 'file', value: name, rule: 'is no pin file of an environment of the fleet', fix: `move it out of ${Layout.releases}/, or add its environment to fleet.ts` });
    }
  }
  const pins = new Map<string, Map<string, ImageRef>>();
  for (const env of environments) {
    const file = Layout.pinFile(env);
    const entries = new Map<string, ImageRef>();
    if (fs.existsSync(path.join(root, file))) {
      if (!fs.statSync(path.join(root, file)).isFile()) {
        fail({ at: file, field: 'type', value: 'folder', rule: 'must be a file of pins', fix: `move ${file} out of the way, and restore the pin file with 'git checkout -- ${file}'` });
      }
      for (const [service, ref] of Object.entries(parsePinFile(root, file))) {
        if (typeof ref !== 'string') {
          fail({ at: file, field: service, value: ref, rule: 'a pin must be a string', fix: `write "${service}": "registry/repo@sha256:<64 hex>"` });
        }
        entries.set(service, ImageRef.parse(ref, file, service));
      }
    }
    pins.set(env, entries);
  }
  return new ReleasePins(pins);
}

function parsePinFile(root: string, file: string): Record<string, unknown> {
  let data: unknown;
  const text = fs.readFileSync(path.join(root, file), 'utf-8');
  // JSON.parse keeps the last of two equal keys without a word; JSON is YAML, whose parser says so.
  const duplicate = YAML.parseDocument(text, { uniqueKeys: true }).errors.find(e => e.code === 'DUPLICATE_KEY');
  if (duplicate) {
    fail({ at: file, field: 'content', value: duplicate.message.split('\n')[0], rule: 'names a service twice, and only the last pin would count', fix: 'keep one pin per service' });
  }
  try {
    data = JSON.parse(text);
  } catch (e) {
    fail({ at: file, field: 'content', value: (e as Error).message, rule: 'is not valid json', fix: `restore it with 'git checkout -- ${file}' and use npm run release to change pins` });
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    fail({ at: file, field: 'content', value: data, rule: 'must be an object of service name to image ref', fix: 'write {"<service>": "registry/repo@sha256:<64 hex>"}' });
  }
  return data as Record<string, unknown>;
}
