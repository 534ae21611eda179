import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import * as YAML from 'yaml';
import { buildFleetApp } from '../../charts/fleet-app';
import { fail } from '../../lib/errors';
import { KubeObject } from '../../lib/plan';
import { DIST, safeSynth, toYaml } from '../../lib/synth';
import { findExecutable } from '../executables';
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
  /** `kubectl kustomize` rendering the same documents, or null when skipped. */
  readonly kustomize_s: number | null;
}

/** A benchmark run: the result, and whether kustomize rendered the same objects. */
export interface BenchReport {
  readonly result: BenchResult;
  /** Objects that differ between the two renderings; empty when they agree or kustomize was skipped. */
  readonly differences: string[];
}

/** Options of {@link runBench}. */
export interface BenchOptions {
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
}

/** Synthesizes an N × E fleet to a temporary folder and measures it against the yaml floor and kustomize. */
export function runBench(options: BenchOptions): BenchReport {
  const { fleet, pins } = benchFleet(options.services, options.envs);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));
  try {
    const walls: number[] = [];
    let peakRssMb = 0;
    for (let run = 0; run < (options.runs ?? 1); run++) {
      fs.rmSync(path.join(root, DIST), { recursive: true, force: true });
      const start = performance.now();
      safeSynth({ root, build: () => buildFleetApp(fleet, pins).app });
      walls.push((performance.now() - start) / 1000);
      peakRssMb = Math.max(peakRssMb, process.resourceUsage().maxRSS / 1024);
    }

    const dist = path.join(root, DIST);
    const files = yamlFiles(dist).filter(f => !f.startsWith('ci/'));
    const documents = files.map(file => ({ file, objects: YAML.parseAllDocuments(fs.readFileSync(path.join(dist, file), 'utf-8')).map(d => d.toJS() as KubeObject) }));
    const objects = documents.flatMap(d => d.objects);
    const bytes = files.reduce((sum, f) => sum + fs.statSync(path.join(dist, f)).size, 0);
    const floors = walls.map((_, run) => serializationFloor(documents, path.join(root, `floor-${run}`)));

    let kustomize: number | null = null;
    let differences: string[] = [];
    if (options.kustomize ?? true) {
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
        kustomize_s: kustomize === null ? null : round(kustomize),
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

/** Seconds to serialize every document with `yaml` alone and write each file where the synth did. */
function serializationFloor(documents: { file: string; objects: KubeObject[] }[], folder: string): number {
  const start = performance.now();
  for (const { file, objects } of documents) {
    const target = path.join(folder, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, objects.map(toYaml).join('---\n'));
  }
  return (performance.now() - start) / 1000;
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
