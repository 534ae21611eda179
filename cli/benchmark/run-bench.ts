import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import * as YAML from 'yaml';
import { buildFleetApp } from '../../charts/fleet-app';
import { DIST, safeSynth } from '../../delivery/commit';
import { KubeObject } from '../../delivery/plan';
import { YAML_OPTIONS } from '../../delivery/render';
import { fail } from '../../lib/errors';
import { ReleasePins } from '../../model';
import { findExecutable } from '../support/executables';
import { benchFleet } from './bench-fleet';
import { ServiceRenderings, writeKustomizeTree } from './kustomize-tree';

/** The one JSON line `npm run bench` prints. */
export interface BenchResult {
  readonly services: number;
  readonly envs: number;
  /** Kubernetes documents synthesized into `dist/`. */
  readonly documents: number;
  /** Bytes of YAML under `dist/`. */
  readonly bytes: number;
  /** Build, validation, rendering and the atomic write of `dist/`. */
  readonly wall_s: number;
  /** The process's peak resident memory right after the synth. */
  readonly peak_rss_mb: number;
  /** Serializing and writing the same documents with `yaml` alone. */
  readonly floor_s: number;
  /** Serializing and writing the same documents as JSON (`JSON.stringify`): the floor of any serializer. */
  readonly json_floor_s: number;
  /** `kubectl kustomize` rendering the same documents, or null when skipped. */
  readonly kustomize_s: number | null;
  /** `kustomize_s` ÷ `wall_s`, or null when kustomize is skipped. */
  readonly kustomize_ratio: number | null;
  /** A whole `npm run release` process of one service in the fleet, start to exit (median of the runs). */
  readonly release_s: number;
  /** The files that release wrote: the others under `dist/` and `releases/` kept their inode. */
  readonly release_files_written: number;
}

/** A benchmark run: the result, and whether kustomize rendered the same objects. */
export interface BenchReport {
  readonly result: BenchResult;
  /** Objects that differ between the two renderings; empty when they agree or kustomize was skipped. */
  readonly differences: string[];
}

/** Options of {@link runBench}. */
export interface BenchOptions {
  /** The repository whose `npm run release` the bench times (its scripts/ and bin/). */
  readonly repoRoot: string;
  readonly services: number;
  readonly envs: number;
  /**
   * Also render the same documents with kustomize.
   * @default true
   */
  readonly kustomize?: boolean;
  /**
   * Synths (and floors) to run; the result reports the median, because a shared VM's speed varies.
   * @default 1
   */
  readonly runs?: number;
  /**
   * Reports each phase as it starts, for a bench that takes minutes.
   * @default - nothing
   */
  readonly progress?: (message: string) => void;
}

/** Synthesizes an N × E fleet to a temporary folder and measures it against the yaml floor and kustomize. */
export function runBench(options: BenchOptions): BenchReport {
  const progress = options.progress ?? (() => undefined);
  const runs = options.runs ?? 1;
  const { fleet, pins } = benchFleet(options.services, options.envs);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));
  try {
    const walls: number[] = [];
    let peakRssMb = 0;
    // Each run synthesizes into a folder of its own, and nothing is deleted until the end: on a file
    // system without a journal, ext4 skips inodes freed in the last minutes when it allocates one
    // (recently_deleted() in fs/ext4/ialloc.c), so creating files right after deleting thousands
    // costs many times more, which would be measuring the bench, not the synth.
    const runRoot = (run: number) => path.join(root, `run-${run}`);
    for (let run = 0; run < runs; run++) {
      progress(`bench: synthesizing ${options.services} × ${options.envs}, run ${run + 1} of ${runs}…`);
      fs.mkdirSync(runRoot(run));
      const start = performance.now();
      safeSynth({ root: runRoot(run), build: () => buildFleetApp(fleet, pins).app });
      walls.push((performance.now() - start) / 1000);
      peakRssMb = Math.max(peakRssMb, process.resourceUsage().maxRSS / 1024);
    }

    const dist = path.join(runRoot(0), DIST);
    const files = yamlFiles(dist).filter(f => !f.startsWith('ci/'));
    const documents = files.map(file => ({ file, objects: YAML.parseAllDocuments(fs.readFileSync(path.join(dist, file), 'utf-8')).map(d => d.toJS() as KubeObject) }));
    const objects = documents.flatMap(d => d.objects);
    const bytes = files.reduce((sum, f) => sum + fs.statSync(path.join(dist, f)).size, 0);
    progress('bench: the yaml and json floors and the releases…');
    const floors = walls.map((_, run) => serializationFloor(documents, path.join(root, `floor-${run}`), d => YAML.stringify(d, YAML_OPTIONS)));
    const jsonFloors = walls.map((_, run) => serializationFloor(documents, path.join(root, `json-floor-${run}`), d => JSON.stringify(d)));
    const releases = walls.map((_, run) => timeRelease(runRoot(0), options, pins, run));

    let kustomize: number | null = null;
    let differences: string[] = [];
    if (options.kustomize ?? true) {
      progress('bench: kubectl kustomize over the same documents…');
      const rendered = renderWithKustomize(root, documents, fleet.environments.map(e => ({ name: e.name, namespace: e.namespace })));
      kustomize = rendered.seconds;
      differences = compareObjects(objects, rendered.objects);
    }
    const round = (n: number) => Math.round(n * 1000) / 1000;
    return {
      result: {
        services: options.services,
        envs: options.envs,
        documents: objects.length,
        bytes,
        wall_s: round(median(walls)),
        peak_rss_mb: Math.round(peakRssMb),
        floor_s: round(median(floors)),
        json_floor_s: round(median(jsonFloors)),
        kustomize_s: kustomize === null ? null : round(kustomize),
        kustomize_ratio: kustomize === null ? null : round(kustomize / median(walls)),
        release_s: round(median(releases.map(r => r.seconds))),
        release_files_written: Math.max(...releases.map(r => r.filesWritten)),
      },
      differences,
    };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Seconds to serialize every document with `serialize` alone and write each file where the synth did. */
function serializationFloor(
  documents: { file: string; objects: KubeObject[] }[],
  folder: string,
  serialize: (document: KubeObject) => string,
): number {
  const start = performance.now();
  for (const { file, objects } of documents) {
    const target = path.join(folder, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, objects.map(serialize).join('---\n'));
  }
  return (performance.now() - start) / 1000;
}

/**
 * Times one `npm run release` process of the fleet's first service in its first environment, start to
 * exit, against the synthesized `dist/` in `root`, and counts the files it wrote: those under `dist/`
 * and `releases/` whose inode changed or that are new. Each run releases another digest.
 */
function timeRelease(root: string, options: BenchOptions, pins: ReleasePins, run: number): { seconds: number; filesWritten: number } {
  const env = 'env-0';
  const service = pins.services(env)[0];
  fs.mkdirSync(path.join(root, 'releases'), { recursive: true });
  for (const environment of Array.from({ length: options.envs }, (_, e) => `env-${e}`)) {
    if (!fs.existsSync(path.join(root, pins.file(environment)))) fs.writeFileSync(path.join(root, pins.file(environment)), pins.render(environment));
  }
  const inodes = () => new Map([DIST, 'releases'].flatMap(folder => (fs.readdirSync(path.join(root, folder), { recursive: true }) as string[])
    .map(file => path.join(folder, file)).filter(file => fs.statSync(path.join(root, file)).isFile())
    .map(file => [file, fs.statSync(path.join(root, file)).ino] as const)));
  const before = inodes();
  const image = `${pins.get(env, service)!.repository}@sha256:${createHash('sha256').update(`release-${run}`).digest('hex')}`;
  const start = performance.now();
  execFileSync(process.execPath, [
    path.join(options.repoRoot, 'scripts/run-ts.cjs'), path.join(options.repoRoot, 'bin/infra.ts'), 'bench:release',
    '--root', root, '--services', String(options.services), '--envs', String(options.envs), '--', '--service', service, '--env', env, '--image', image,
  ], { stdio: 'pipe' });
  const seconds = (performance.now() - start) / 1000;
  const after = inodes();
  return { seconds, filesWritten: [...after].filter(([file, inode]) => before.get(file) !== inode).length };
}

/**
 * Writes the kustomize tree equivalent to the synthesized `documents` (by path under `dist/`) and
 * times `kubectl kustomize` over it.
 */
function renderWithKustomize(
  root: string,
  documents: { file: string; objects: KubeObject[] }[],
  environments: { name: string; namespace: string }[],
): { seconds: number; objects: KubeObject[] } {
  const kubectl = findOnPath('kubectl');
  const byService = new Map<string, Map<string, KubeObject[]>>();
  const extra: KubeObject[] = [];
  for (const { file, objects } of documents) {
    const [environment, service] = file.split('/');
    if (!environments.some(e => e.name === environment)) {
      extra.push(...objects);
      continue;
    }
    const renderings = byService.get(service) ?? byService.set(service, new Map()).get(service)!;
    renderings.set(environment, [...renderings.get(environment) ?? [], ...objects]);
  }
  // The first environment in promotion order is every service's base.
  const services: ServiceRenderings[] = [...byService].map(([service, renderings]) => ({
    service,
    environments: new Map(environments.filter(env => renderings.has(env.name))
      .map(env => [env.name, { namespace: env.namespace, objects: renderings.get(env.name)! }] as const)),
  }));
  const roots = writeKustomizeTree(path.join(root, 'kustomize'), services, extra);
  let seconds = 0;
  const objects: KubeObject[] = [];
  for (const tree of roots) {
    const start = performance.now();
    const output = execFileSync(kubectl, ['kustomize', tree], { encoding: 'utf-8', maxBuffer: 2 ** 30 });
    seconds += (performance.now() - start) / 1000;
    objects.push(...YAML.parseAllDocuments(output).map(d => d.toJS() as KubeObject).filter(Boolean));
  }
  return { seconds, objects };
}

/** The objects one rendering has and the other lacks or renders differently, by kind, namespace and name. */
export function compareObjects(ours: readonly KubeObject[], theirs: readonly KubeObject[]): string[] {
  const key = (o: KubeObject) => `${o.apiVersion} ${o.kind} ${o.metadata.namespace ?? '-'}/${o.metadata.name}`;
  const canonical = (value: unknown): string => JSON.stringify(value, (_, v) => (v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.keys(v).sort().map(k => [k, v[k]])) : v));
  const theirsByKey = new Map(theirs.map(o => [key(o), canonical(o)]));
  const oursKeys = new Set<string>();
  const differences: string[] = [];
  for (const object of ours) {
    const id = key(object);
    oursKeys.add(id);
    const rendered = theirsByKey.get(id);
    if (rendered === undefined) differences.push(`${id}: missing from kustomize`);
    else if (rendered !== canonical(object)) differences.push(`${id}: renders differently`);
  }
  return [...differences, ...theirs.filter(o => !oursKeys.has(key(o))).map(o => `${key(o)}: only in kustomize`)];
}

/** Every YAML file under `folder`, relative to it, sorted. */
function yamlFiles(folder: string): string[] {
  return (fs.readdirSync(folder, { recursive: true }) as string[]).filter(f => f.endsWith('.yaml')).sort();
}

function findOnPath(binary: string): string {
  const found = findExecutable(binary);
  if (!found) fail({ at: 'bench', field: 'PATH', value: binary, rule: 'is not installed', fix: 'install it, or run with --no-kustomize' });
  return found;
}
