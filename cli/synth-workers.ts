import * as os from 'os';
import * as path from 'path';
import { MessageChannel, MessagePort, Worker, receiveMessageOnPort, workerData } from 'worker_threads';
import { DeploymentKey, buildDeploymentsApp } from '../charts/fleet-app';
import { Paths } from '../charts/paths';
import { Fleet, ReleasePins, ServiceDeployment } from '../lib/fleet';
import { SharedWrite, SharedWriteResult, SynthShare, renderApp, writeFiles } from '../lib/synth';

/** How a worker thread gets the fleet the command synthesizes, which it cannot be handed. */
export interface FleetSource {
  /**
   * The generated fleet of `npm run bench`, by its size.
   * @default - the repository's fleet.ts
   */
  readonly bench?: { readonly services: number; readonly envs: number };
}

/** What a synth needs to build service charts on worker threads. */
export interface SynthWorkers {
  /** The tool's repository: each worker runs its `bin/synth-worker.ts` through `scripts/run-ts.cjs`. */
  readonly toolRoot: string;
  /** Where the workers get the same fleet as the command. */
  readonly fleet: FleetSource;
  /**
   * The fewest deployments worth starting workers for: below, starting one costs more than it saves.
   * @default MIN_PARALLEL_DEPLOYMENTS
   */
  readonly minDeployments?: number;
  /**
   * Worker threads beside the main one.
   * @default - one per further core, at most MAX_WORKERS
   */
  readonly threads?: number;
}

/**
 * A worker pays about 0.2 s to start, load cdk8s and the fleet, and runs cold. Measured on 2 cores,
 * writing to tmpfs, three runs each: at 100 × 3 (300 deployments) a worker made the synth slower
 * (1.0 s against 0.7 s), at 300 × 3 it broke even (1.9–2.2 s against 1.9–2.3 s), at 1000 × 3 it saved
 * a tenth (5.3–5.5 s against 5.9–6.0 s).
 */
export const MIN_PARALLEL_DEPLOYMENTS = 1000;

/** Beyond this, the main thread's own work (building and validating the whole tree) dominates. */
const MAX_WORKERS = 3;

/**
 * The main thread also builds and validates the whole tree and writes the Argo CD objects and the
 * workflows, so it takes this weight of the service charts where each worker takes 1. Measured with
 * 1000 × 3 on 2 cores, writing to tmpfs: 0.75 left the worker idle for a second, 0.15 the main thread;
 * 0.3 finished both within half a second of each other.
 */
const MAIN_THREAD_WEIGHT = 0.3;

/** The longest the main thread waits for a worker. */
const WORKER_TIMEOUT_MS = 10 * 60 * 1000;

/** What the main thread hands a worker; all of it survives structured cloning. */
interface WorkerInput {
  readonly fleet: FleetSource;
  readonly pins: Record<string, Record<string, string>>;
  readonly deployments: readonly DeploymentKey[];
  readonly staging: string;
  readonly previousRoot: string;
  readonly port: MessagePort;
  /** Set to 1, and notified, when the worker has posted its reply or ended. */
  readonly signal: Int32Array;
}

type WorkerReply = { readonly ok: SharedWriteResult } | { readonly error: string };

/**
 * Splits the service charts of a synth between the main thread and worker threads: each worker takes
 * a run of deployments in fleet order, builds their charts itself (`bin/synth-worker.ts`), renders
 * and writes their folders. Service charts do not depend on each other, and the main thread still
 * builds the whole tree, so validation, error messages and notes are exactly a single thread's.
 * @returns no shares for a small fleet, a single core, or without `workers`
 */
export function synthShares(workers: SynthWorkers | undefined, deployments: readonly ServiceDeployment[], pins: ReleasePins): SynthShare[] {
  const threads = workers?.threads ?? Math.min(MAX_WORKERS, os.availableParallelism() - 1);
  if (!workers || threads < 1 || deployments.length < (workers.minDeployments ?? MIN_PARALLEL_DEPLOYMENTS)) return [];
  const perWorker = Math.floor(deployments.length / (threads + MAIN_THREAD_WEIGHT));
  return Array.from({ length: threads }, (_, index) => {
    const keys = deployments.slice(index * perWorker, (index + 1) * perWorker)
      .map(d => ({ environment: d.environment.name, service: d.service.name }));
    return {
      folders: keys.map(key => Paths.service(key.environment, key.service)),
      start: (staging, previousRoot) => startWorker(workers, {
        fleet: workers.fleet, pins: pins.toRecord(), deployments: keys, staging, previousRoot,
      }),
    };
  });
}

// Evaluated in the worker: runs bin/synth-worker.ts through the same TypeScript runner as the
// commands, and reports a failure to start, or an end without a reply, instead of leaving the main
// thread waiting.
const BOOTSTRAP = `
const { workerData } = require('worker_threads');
const { runner, entry, input } = workerData;
const end = () => { Atomics.store(input.signal, 0, 1); Atomics.notify(input.signal, 0); };
process.once('exit', end);
try {
  process.argv.splice(2, process.argv.length, entry);
  require(runner);
} catch (e) {
  input.port.postMessage({ error: String((e && e.stack) || e) });
  end();
}
`;

function startWorker(workers: SynthWorkers, input: Omit<WorkerInput, 'port' | 'signal'>): SharedWrite {
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(BOOTSTRAP, {
    eval: true,
    workerData: {
      runner: path.join(workers.toolRoot, 'scripts', 'run-ts.cjs'),
      entry: path.join(workers.toolRoot, 'bin', 'synth-worker.ts'),
      input: { ...input, port: port2, signal } satisfies WorkerInput,
    },
    transferList: [port2],
  });
  return {
    wait() {
      if (Atomics.wait(signal, 0, 0, WORKER_TIMEOUT_MS) === 'timed-out') throw new Error(`synth worker: no result after ${WORKER_TIMEOUT_MS / 1000} s`);
      const reply = receiveMessageOnPort(port1)?.message as WorkerReply | undefined;
      if (!reply) throw new Error('synth worker: ended without a result');
      if ('error' in reply) throw new Error(`synth worker: ${reply.error}`);
      return reply.ok;
    },
    stop() {
      port1.close();
      void worker.terminate();
    },
  };
}

/**
 * The worker's side, run by `bin/synth-worker.ts` on a worker thread: builds its deployments' charts
 * with the fleet from `fleetOf`, renders them without validating again (the main thread validates
 * the whole tree) and writes them into the staging folder, then replies.
 */
export function runSynthWorker(fleetOf: (source: FleetSource) => Fleet): void {
  const input = (workerData as { input: WorkerInput }).input;
  let reply: WorkerReply;
  try {
    const app = buildDeploymentsApp(fleetOf(input.fleet), ReleasePins.of(input.pins), input.deployments);
    if (!app) throw new Error('the fleet the worker loaded does not deploy its share; is the fleet source the command\'s fleet?');
    const files = renderApp(app, { validate: false });
    const written = writeFiles(input.staging, files, { previousRoot: input.previousRoot });
    reply = { ok: { files: [...files.keys()], written } };
  } catch (e) {
    reply = { error: String((e as Error).stack ?? e) };
  }
  input.port.postMessage(reply);
  input.port.close();
  Atomics.store(input.signal, 0, 1);
  Atomics.notify(input.signal, 0);
}
