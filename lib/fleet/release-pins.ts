import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { fail } from '../errors/problem';
import { ImageRef } from './image-ref';

/**
 * The image pins of every environment: `releases/<env>.json` maps service names to digest-pinned refs.
 * CI edits these files through `npm run release`, never the TypeScript fleet definition.
 */
export class ReleasePins {
  /**
   * Reads `releases/<env>.json` under `root` for each environment; a missing file means nothing is
   * pinned there yet.
   * @throws ConfigError naming the file, the key and the value of a malformed pin
   */
  public static load(root: string, environments: readonly string[]): ReleasePins {
    const known = new Set(environments.flatMap(env => [`${env}.json`, `${env}.builds.json`]));
    const folder = path.join(root, RELEASES_DIR);
    // A file here that is no pin file would be ignored, or staged and pushed by a pipeline.
    for (const name of fs.existsSync(folder) ? fs.readdirSync(folder).sort() : []) {
      if (!known.has(name)) {
        fail({ at: `${RELEASES_DIR}/${name}`, field: 'file', value: name, rule: 'is no pin file of an environment of the fleet', fix: `move it out of ${RELEASES_DIR}/, or add its environment to fleet.ts` });
      }
    }
    const pins = new Map<string, Map<string, ImageRef>>();
    for (const env of environments) {
      const file = pinFile(env);
      const entries = new Map<string, ImageRef>();
      if (fs.existsSync(path.join(root, file))) {
        const data = parsePinFile(root, file);
        for (const [service, ref] of Object.entries(data)) {
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

  /**
   * Pins given in memory, by environment then service, e.g. for a benchmark fleet.
   * @throws ConfigError naming the environment, the service and a malformed ref
   */
  public static of(pins: Readonly<Record<string, Readonly<Record<string, string>>>>): ReleasePins {
    return new ReleasePins(new Map(Object.entries(pins).map(([env, services]) => [
      env,
      new Map(Object.entries(services).map(([service, ref]) => [service, ImageRef.parse(ref, `pins/${env}`, service)])),
    ])));
  }

  private constructor(private readonly pins: ReadonlyMap<string, ReadonlyMap<string, ImageRef>>,
  ) {}

  /** The pinned image of a service in an environment, if any. */
  public get(environment: string, service: string): ImageRef | undefined {
    return this.pins.get(environment)?.get(service);
  }

  /** The services pinned in an environment, sorted. */
  public services(environment: string): string[] {
    return [...(this.pins.get(environment)?.keys() ?? [])].sort();
  }

  /** A copy with one pin set; nothing is written until {@link save}. */
  public with(environment: string, service: string, image: ImageRef): ReleasePins {
    const pins = new Map(this.pins);
    pins.set(environment, new Map(pins.get(environment) ?? []).set(service, image));
    return new ReleasePins(pins);
  }

  /** The pin file of one environment as it would be written: sorted keys, two-space indent, final newline. */
  public render(environment: string): string {
    const entries = this.services(environment).map(service => [service, this.get(environment, service)!.toString()]);
    return `${JSON.stringify(Object.fromEntries(entries), null, 2)}\n`;
  }

  /** The path of an environment's pin file, relative to the repository root. */
  public file(environment: string): string {
    return pinFile(environment);
  }
}

/** The folder, relative to the repository root, holding one pin file per environment. */
export const RELEASES_DIR = 'releases';

function pinFile(environment: string): string {
  return `${RELEASES_DIR}/${environment}.json`;
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
