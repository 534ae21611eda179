// A worker thread of a parallel synth (cli/synth-workers.ts): the fleet comes from fleet.ts, or the bench generates it.
import { benchFleet } from '../cli/bench/bench-fleet';
import { runSynthWorker } from '../cli/synth-workers';
import { loadFleet } from './load-fleet';

runSynthWorker(source => (source.bench ? benchFleet(source.bench.services, source.bench.envs).fleet : loadFleet()));
