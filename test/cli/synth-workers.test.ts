import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { benchFleet } from '../../cli/bench/bench-fleet';
import { synthFleet } from '../../cli/synth-fleet';
import { MIN_PARALLEL_DEPLOYMENTS, SynthWorkers, synthShares } from '../../cli/synth-workers';
import { readTree } from '../helpers';

const TOOL_ROOT = path.resolve(__dirname, '../..');
const SERVICES = 6;
const ENVS = 2;

/** A generated fleet, pinned in a temporary repository without dist/. */
function generatedRepo() {
  const { fleet, pins } = benchFleet(SERVICES, ENVS);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'workers-'));
  for (const env of fleet.environments.map(e => e.name)) {
    fs.mkdirSync(path.join(root, 'releases'), { recursive: true });
    fs.writeFileSync(path.join(root, pins.file(env)), pins.render(env));
  }
  return { fleet, pins, root };
}

/** Workers for the generated fleet, whatever its size. */
function workers(bench = { services: SERVICES, envs: ENVS }): SynthWorkers {
  return { toolRoot: TOOL_ROOT, fleet: { bench }, minDeployments: 1, threads: 1 };
}

describe('synthShares', () => {
  const { fleet, pins } = benchFleet(SERVICES, ENVS);
  const deployments = fleet.deployments(pins);

  test('GIVEN no workers, one core, or fewer deployments than pay WHEN split THEN the main thread keeps everything', () => {
    expect(synthShares(undefined, deployments, pins)).toEqual([]);
    expect(synthShares({ ...workers(), threads: 0 }, deployments, pins)).toEqual([]);
    expect(synthShares({ ...workers(), minDeployments: undefined }, deployments, pins)).toEqual([]);
    expect(deployments.length).toBeLessThan(MIN_PARALLEL_DEPLOYMENTS);
  });

  test('GIVEN two workers WHEN split THEN each takes a run of service folders in fleet order, and the main thread the smaller rest', () => {
    const shares = synthShares({ ...workers(), threads: 2 }, deployments, pins);
    const folders = deployments.map(d => `dist/${d.environment.name}/${d.service.name}`);
    // 12 deployments over 2 workers and the main thread's weight of 0.3: 5 each, 2 left.
    expect(shares.map(s => s.folders)).toEqual([folders.slice(0, 5), folders.slice(5, 10)]);
  });
});

describe('a synth on worker threads', () => {
  test('GIVEN a generated fleet WHEN synthesized with a worker thread THEN every output is byte-identical to a synth on the main thread alone', () => {
    const single = generatedRepo();
    const parallel = generatedRepo();
    synthFleet(single.fleet, single.root, { command: 'synth' });

    const output = synthFleet(parallel.fleet, parallel.root, { command: 'synth', workers: workers() });

    const written = readTree(parallel.root);
    expect(written.size).toBeGreaterThan(SERVICES * ENVS * 8);
    expect(written).toEqual(readTree(single.root));
    expect(output).toContain(`synthesized ${[...written.keys()].filter(f => f.startsWith('dist/')).length} files into dist/`);
  });

  test('GIVEN a worker that loads another fleet than the command WHEN synthesized THEN it fails naming the worker and leaves every output as it was', () => {
    const { fleet, root } = generatedRepo();
    synthFleet(fleet, root, { command: 'synth' });
    const before = readTree(root);

    expect(() => synthFleet(fleet, root, { command: 'synth', workers: workers({ services: 2, envs: ENVS }) }))
      .toThrow("synth worker: ConfigError: releases/env-0.json: 'svc-0002'");

    expect(readTree(root)).toEqual(before);
  });

  test('GIVEN changed pins and a dist/ in place WHEN synthesized with a worker thread THEN only the changed files are written and the result equals a synth on the main thread', () => {
    const single = generatedRepo();
    const parallel = generatedRepo();
    for (const repo of [single, parallel]) synthFleet(repo.fleet, repo.root, { command: 'synth' });
    const first = single.pins.services('env-0')[0];
    const changed = single.pins.with('env-0', first, single.pins.get('env-1', first)!);
    for (const repo of [single, parallel]) fs.writeFileSync(path.join(repo.root, changed.file('env-0')), changed.render('env-0'));

    synthFleet(single.fleet, single.root, { command: 'synth' });
    const output = synthFleet(parallel.fleet, parallel.root, { command: 'synth', workers: workers() });

    expect(readTree(parallel.root)).toEqual(readTree(single.root));
    expect(output).toMatch(/; [1-9] changed/);
  });
});
