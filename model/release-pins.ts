import { ImageRef } from '../lib/workload/image-ref';
import { Layout } from './layout';

/**
 * The image pins of every environment: `releases/<env>.json` maps service names to digest-pinned refs.
 * CI edits these files through `npm run release`, never the TypeScript fleet definition.
 */
export class ReleasePins {
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

  /** Pins already parsed, by environment then service; `loadPins` in the delivery engine reads them from `releases/`. */
  constructor(private readonly pins: ReadonlyMap<string, ReadonlyMap<string, ImageRef>>) {}

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

  /** A copy without a service's pin in an environment, e.g. when it is retired there. */
  public without(environment: string, service: string): ReleasePins {
    const pins = new Map(this.pins);
    const remaining = new Map(pins.get(environment) ?? []);
    remaining.delete(service);
    pins.set(environment, remaining);
    return new ReleasePins(pins);
  }

  /** The pin file of one environment as it would be written: sorted keys, two-space indent, final newline. */
  public render(environment: string): string {
    const entries = this.services(environment).map(service => [service, this.get(environment, service)!.toString()]);
    return `${JSON.stringify(Object.fromEntries(entries), null, 2)}\n`;
  }

  /** The path of an environment's pin file, relative to the repository root. */
  public file(environment: string): string {
    return Layout.pinFile(environment);
  }
}
