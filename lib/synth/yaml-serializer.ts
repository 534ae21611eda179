import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MessageChannel, Worker, receiveMessageOnPort } from 'worker_threads';
import * as YAML from 'yaml';
import { OutputFile } from './output-file';

/** How every Kubernetes document under `dist/` is written: no line folding, no anchors. */
const YAML_OPTIONS = { lineWidth: 0, aliasDuplicateObjects: false } as const;

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

/** One document as YAML, as every file under `dist/` writes it. */
export function toYaml(document: unknown): string {
  return YAML.stringify(document, YAML_OPTIONS);
}

/** A file's content as written. */
export function fileContent(file: OutputFile): string {
  return 'render' in file ? file.render() : file.objects.map(o => toYaml(o.toJson())).join('---\n');
}

// Plain CommonJS, evaluated in the worker: it serializes and writes its share of the files.
const WORKER_SOURCE = `
const fs = require('fs');
const path = require('path');
const { workerData } = require('worker_threads');
const { port, signal, yamlPath, dir, json, options } = workerData;
try {
  const YAML = require(yamlPath);
  for (const [file, documents] of JSON.parse(json)) {
    fs.writeFileSync(path.join(dir, file), documents.map(d => YAML.stringify(d, options)).join('---\\n'));
  }
  port.postMessage({ ok: true });
} catch (e) {
  port.postMessage({ error: String((e && e.stack) || e) });
}
port.close();
Atomics.store(signal, 0, 1);
Atomics.notify(signal, 0);
`;

/**
 * Writes `files` under `dir`, creating folders: resolves each object, serializes it to YAML and
 * writes it. That is most of a large synth's time, so a large output is split with one worker thread
 * on the machine's second core. The call stays synchronous: the main thread does its share, then
 * blocks until the worker reports.
 */
export function writeFiles(dir: string, files: ReadonlyMap<string, OutputFile>, threshold = PARALLEL_THRESHOLD): void {
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
  const worker = workerFiles.size ? startWorker(dir, workerFiles) : undefined;
  try {
    for (const [file, content] of files) {
      if (!workerFiles.has(file)) fs.writeFileSync(path.join(dir, file), fileContent(content));
    }
    worker?.wait();
  } finally {
    worker?.stop();
  }
}

function startWorker(dir: string, files: ReadonlyMap<string, unknown[]>): { wait(): void; stop(): void } {
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { port: port2, signal, yamlPath: require.resolve('yaml'), dir, json: JSON.stringify([...files]), options: YAML_OPTIONS },
    transferList: [port2],
  });
  return {
    wait() {
      if (Atomics.wait(signal, 0, 0, WORKER_TIMEOUT_MS) === 'timed-out') throw new Error(`yaml worker: no result after ${WORKER_TIMEOUT_MS / 1000} s`);
      const reply = receiveMessageOnPort(port1)?.message as { ok?: boolean; error?: string } | undefined;
      if (!reply?.ok) throw new Error(`yaml worker: ${reply?.error ?? 'ended without a result'}`);
    },
    stop() {
      port1.close();
      void worker.terminate();
    },
  };
}
