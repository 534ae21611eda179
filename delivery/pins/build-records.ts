import * as fs from 'fs';
import * as path from 'path';
import { fail } from '../../lib/errors/problem';
import { Layout } from '../../model/layout';

/** Which build a pin came from: the source commit and when it was made. */
export interface BuildRecord {
  readonly image: string;
  /** The service repository's commit the image was built from. */
  readonly commit: string;
  /** When that commit was made, ISO 8601; later builds replace earlier ones, never the reverse. */
  readonly builtAt: string;
}

/**
 * The builds behind an environment's pins, `releases/<env>.builds.json`, so that a release never
 * replaces a pin with an older build of the same service when two pipelines' pushes cross.
 */
export class BuildRecords {
  /** The records of `environment` under `root`; none when the file is missing. */
  public static load(root: string, environment: string): BuildRecords {
    const file = Layout.buildsFile(environment);
    if (!fs.existsSync(path.join(root, file))) return new BuildRecords(file, new Map());
    return BuildRecords.parse(file, fs.readFileSync(path.join(root, file), 'utf-8'));
  }

  /** The records a build record file's text holds; `file` is named in errors. */
  public static parse(file: string, text: string): BuildRecords {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (e) {
      return fail({ at: file, field: 'content', value: (e as Error).message, rule: 'is not valid json', fix: `restore it with 'git checkout -- ${file}'` });
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      fail({ at: file, field: 'content', value: data, rule: 'must be an object of service name to build record', fix: `restore it with 'git checkout -- ${file}'` });
    }
    const records = new Map<string, BuildRecord>();
    for (const [service, record] of Object.entries(data as Record<string, unknown>)) {
      const r = record as Partial<BuildRecord>;
      if (typeof r?.image !== 'string' || typeof r.commit !== 'string' || typeof r.builtAt !== 'string' || Number.isNaN(Date.parse(r.builtAt))) {
        fail({ at: file, field: service, value: record, rule: 'must be {image, commit, builtAt} with an ISO 8601 time', fix: `restore it with 'git checkout -- ${file}'` });
      }
      records.set(service, { image: r.image!, commit: r.commit!, builtAt: r.builtAt! });
    }
    return new BuildRecords(file, records);
  }

  private constructor(
    /** The file's path relative to the repository root. */
    public readonly file: string,
    private readonly records: ReadonlyMap<string, BuildRecord>,
  ) {}

  /** The build behind a service's pin, if recorded. */
  public get(service: string): BuildRecord | undefined {
    return this.records.get(service);
  }

  /** A copy with one record set. */
  public with(service: string, record: BuildRecord): BuildRecords {
    return new BuildRecords(this.file, new Map(this.records).set(service, record));
  }

  /** A copy without a service's record, e.g. after a rollback to an image of unknown build. */
  public without(service: string): BuildRecords {
    const records = new Map(this.records);
    records.delete(service);
    return new BuildRecords(this.file, records);
  }

  /** The services with a record, sorted. */
  public services(): string[] {
    return [...this.records.keys()].sort();
  }

  /** The file as it would be written: services sorted, two-space indent, final newline. */
  public render(): string {
    const entries = [...this.records.keys()].sort().map(service => [service, this.records.get(service)]);
    return `${JSON.stringify(Object.fromEntries(entries), null, 2)}\n`;
  }
}
