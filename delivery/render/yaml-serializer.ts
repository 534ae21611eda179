import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MessageChannel, Worker, receiveMessageOnPort } from 'worker_threads';
import * as YAML from 'yaml';
import { OutputFile } from '../../lib/output/output-file';
import { writeOrLink } from './private/write-or-link';
import { createYamlEmitter } from './private/yaml-emitter';

/** How every Kubernetes document under `dist/` is written: no line folding, no anchors. */
export const YAML_OPTIONS = { lineWidth: 0, aliasDuplicateObjects: false } as const;

/** Below this many documents a second thread costs more than it saves. */
export const PARALLEL_THRESHOLD = 2000;

/**
 * The worker's share of the documents of a parallel write. The main thread resolves the worker's
 * share first and hands it over; while the worker serializes, the main thread resolves and writes
 * the rest and renders the workflows. The worker also pays for its start and for reading its share.
 */
const WORKER_SHARE = 0.6;

/** The longest the main thread waits for the worker. */
const WORKER_TIMEOUT_MS = 10 * 60 * 1000;

/** The fast emitter of exactly what `yaml` writes with {@link YAML_OPTIONS} (`private/yaml-emitter.ts`). */
const emit = createYamlEmitter(YAML, YAML_OPTIONS);

/** One document as YAML, as every file under `dist/` writes it. */
export function toYaml(document: unknown): string {
  return emit(document);
}

/** A file's content as written. */
export function fileContent(file: OutputFile): string {
  return 'render' in file ? file.render() : file.objects.map(o => toYaml(o.toJson())).join('---\n');
}

// Plain CommonJS, evaluated in the worker: it serializes its share of the files with the same
// emitter, from the emitter's own compiled source, and writes them.
const WORKER_SOURCE = `
const fs = require('fs');
const path = require('path');
const { workerData } = require('worker_threads');
const { port, signal, yamlPath, dir, previousRoot, json, options } = workerData;
try {
  const emit = (${createYamlEmitter.toString()})(require(yamlPath), options);
  const writeOrLink = ${writeOrLink.toString()};
  let written = 0;
  for (const [file, documents] of JSON.parse(json)) {
    const previous = previousRoot === undefined ? undefined : path.join(previousRoot, file);
    if (writeOrLink(fs, path.join(dir, file), documents.map(emit).join('---\\n'), previous)) written += 1;
  }
  port.postMessage({ ok: true, written });
} catch (e) {
  // The file system's code and path cross over, so a full disk is reported like one in the main thread.
  port.postMessage({ error: String((e && e.stack) || e), code: e && e.code, syscall: e && e.syscall, path: e && e.path });
}
port.close();
Atomics.store(signal, 0, 1);
Atomics.notify(signal, 0);
`;

/**
 * Writes `files` under `dir`, creating folders: resolves each object, serializes it to YAML and
 * writes it, or hard-links the same path under `previousRoot` where that holds the same bytes
 * (`private/write-or-link.ts`). Serializing is most of a large synth's time, so a large output is split
 * with one worker thread on the machine's second core. The call stays synchronous: the main thread
 * does its share, then blocks until the worker reports.
 * @returns how many files were written rather than linked
 */
export function writeFiles(dir: string, files: ReadonlyMap<string, OutputFile>, options: WriteOptions = {}): number {
  const threshold = options.parallelThreshold ?? PARALLEL_THRESHOLD;
  const previousOf = (file: string) => (options.previousRoot === undefined ? undefined : path.join(options.previousRoot, file));
  for (const folder of new Set([...files.keys()].map(file => path.dirname(path.join(dir, file))))) fs.mkdirSync(folder, { recursive: true });
  const objectFiles = [...files].flatMap(([file, content]) => ('objects' in content ? [[file, content.objects] as const] : []));
  const total = objectFiles.reduce((sum, [, objects]) => sum + objects.length, 0);
  const workerFiles = new Map<string, unknown[]>();
  if (total >= threshold && os.availableParallelism() >= 2) {
    let assigned = 0;
    for (const [file, objects] of objectFiles) {
      if (assigned >= total * WORKER_SHARE) break;
      workerFiles.set(file, objects.map(o => o.toJson()));
      assigned += objects.length;
    }
  }
  const worker = workerFiles.size ? startWorker(dir, options.previousRoot, workerFiles) : undefined;
  try {
    let written = 0;
    for (const [file, content] of files) {
      if (!workerFiles.has(file) && writeOrLink(fs, path.join(dir, file), fileContent(content), previousOf(file))) written += 1;
    }
    return written + (worker?.wait() ?? 0);
  } finally {
    worker?.stop();
  }
}

/** Options of {@link writeFiles}. */
export interface WriteOptions {
  /**
   * Documents from which a worker thread takes a share.
   * @default PARALLEL_THRESHOLD
   */
  readonly parallelThreshold?: number;
  /**
   * The folder holding the files as they are now, by the same relative paths; unchanged ones are linked from it.
   * @default - write every file
   */
  readonly previousRoot?: string;
}

/** What the worker posts: how many files it wrote, or its error with the file system's code and path, if any. */
interface WorkerReply {
  readonly ok?: boolean;
  readonly written?: number;
  readonly error?: string;
  readonly code?: string;
  readonly syscall?: string;
  readonly path?: string;
}

function startWorker(dir: string, previousRoot: string | undefined, files: ReadonlyMap<string, unknown[]>): { wait(): number; stop(): void } {
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { port: port2, signal, yamlPath: require.resolve('yaml'), dir, previousRoot, json: JSON.stringify([...files]), options: YAML_OPTIONS },
    transferList: [port2],
  });
  return {
    wait() {
      if (Atomics.wait(signal, 0, 0, WORKER_TIMEOUT_MS) === 'timed-out') throw new Error(`yaml worker: no result after ${WORKER_TIMEOUT_MS / 1000} s`);
      const reply = receiveMessageOnPort(port1)?.message as WorkerReply | undefined;
      if (!reply?.ok) {
        const error: NodeJS.ErrnoException = new Error(`yaml worker: ${reply?.error ?? 'ended without a result'}`);
        if (typeof reply?.code === 'string') Object.assign(error, { code: reply.code, syscall: reply.syscall, path: reply.path });
        throw error;
      }
      return reply.written ?? 0;
    },
    stop() {
      port1.close();
      void worker.terminate();
    },
  };
}
