import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import fc from 'fast-check';
import { benchFleet } from '../../../cli/benchmark/bench-fleet';
import { promoteCommand } from '../../../cli/promote';
import { releaseCommand } from '../../../cli/release';
import { rollbackCommand } from '../../../cli/rollback';
import { loadPins } from '../../../delivery/pins';
import { synthFleet } from '../../../delivery/synth/synth-fleet';
import { ReleasePins } from '../../../model';
import { changedFiles, readTree } from '../../helpers';

/** A generated fleet of 4 services × 3 environments, with every routing style, pinned and synthesized in a temporary repository. */
function generatedRepo() {
  const { fleet, pins } = benchFleet(4, 3);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'incremental-'));
  writePins(root, pins, fleet.environments.map(e => e.name));
  synthFleet(fleet, root, { command: 'synth' });
  return { fleet, root };
}

function writePins(root: string, pins: ReleasePins, environments: string[]): void {
  for (const env of environments) {
    fs.mkdirSync(path.dirname(path.join(root, pins.file(env))), { recursive: true });
    fs.writeFileSync(path.join(root, pins.file(env)), pins.render(env));
  }
}

/** Pin changes a pipeline or a person makes, in any order. */
const changes = fc.array(fc.oneof(
  fc.record({ kind: fc.constant('release' as const), service: fc.nat(3), env: fc.nat(2), build: fc.nat(1000) }),
  fc.record({ kind: fc.constant('promote' as const), service: fc.nat(3), from: fc.nat(1) }),
  fc.record({ kind: fc.constant('rollback' as const), service: fc.nat(3), env: fc.nat(2) }),
), { minLength: 3, maxLength: 8 });

describe('synthFleet', () => {
  test('GIVEN random releases, promotions and rollbacks WHEN each synthesizes one folder THEN the repository equals a full synth of the same pins, byte for byte', () => {
    fc.assert(fc.property(changes, sequence => {
      const { fleet, root } = generatedRepo();
      for (const change of sequence) {
        const service = `svc-${String(change.service).padStart(4, '0')}`;
        const before = readTree(root);
        let output: string;
        if (change.kind === 'release') {
          const digest = createHash('sha256').update(`build-${change.build}`).digest('hex');
          output = releaseCommand(fleet, root, ['--service', service, '--env', `env-${change.env}`, '--image', `ghcr.io/acme/${service}@sha256:${digest}`]);
        } else if (change.kind === 'promote') {
          output = promoteCommand(fleet, root, ['--service', service, '--from', `env-${change.from}`, '--to', `env-${change.from + 1}`, '--override', 'no canary verdicts here']);
        } else {
          // Without a Git history, a rollback goes back to the generated pin.
          const digest = createHash('sha256').update(`env-${change.env}/${service}`).digest('hex');
          try {
            output = rollbackCommand(fleet, root, ['--service', service, '--env', `env-${change.env}`, '--to', `ghcr.io/acme/${service}@sha256:${digest}`, '--override', 'test']);
          } catch {
            continue; // it runs that image already
          }
        }
        // Only the pin and the service's folder in that environment change, and only changed files are written.
        const env = `env-${change.kind === 'promote' ? change.from + 1 : change.env}`;
        const changed = changedFiles(before, readTree(root));
        expect(changed.filter(f => !f.startsWith(`dist/${env}/${service}/`))).toEqual([`releases/${env}.json`]);
        expect(output).toMatch(new RegExp(`; ${changed.length} changed`));
        const folderFiles = [...readTree(root).keys()].filter(f => f.startsWith(`dist/${env}/${service}/`)).length;
        expect(output).toContain(`synthesized ${folderFiles} files into dist/`);
      }
      const full = fs.mkdtempSync(path.join(os.tmpdir(), 'full-'));
      fs.cpSync(path.join(root, 'releases'), path.join(full, 'releases'), { recursive: true });
      synthFleet(fleet, full, { command: 'synth' });
      expect(readTree(path.join(root, 'dist'))).toEqual(readTree(path.join(full, 'dist')));
      fs.rmSync(root, { recursive: true, force: true });
      fs.rmSync(full, { recursive: true, force: true });
    }), { numRuns: 4, seed: 1127 });
  });

  test('GIVEN a service released where it was not deployed WHEN synthesized THEN the whole fleet is, since its Application is new', () => {
    const { fleet, root } = generatedRepo();
    const pins = loadPins(fleet, root);
    const without = ReleasePins.of({ ...Object.fromEntries(fleet.environments.map(e => [e.name, Object.fromEntries(pins.services(e.name).map(s => [s, pins.get(e.name, s)!.toString()]))])), 'env-2': {} });
    writePins(root, without, ['env-2']);
    synthFleet(fleet, root, { command: 'synth', allowPrune: true });
    const image = pins.get('env-2', 'svc-0001')!.toString();
    releaseCommand(fleet, root, ['--service', 'svc-0001', '--env', 'env-2', '--image', image]);
    expect(fs.existsSync(path.join(root, 'dist/argocd/env-2/apps/application-svc-0001-env-2.yaml'))).toBe(true);
    expect(fs.existsSync(path.join(root, 'dist/env-2/svc-0001'))).toBe(true);
  });

  test('GIVEN a build record of a service no longer in the fleet WHEN synthesized THEN the record is removed and the output says so, and the other records stay', () => {
    const { fleet, root } = generatedRepo();
    const record = (service: string) => ({ image: `ghcr.io/acme/${service}@sha256:${'a'.repeat(64)}`, commit: 'abcdef1', builtAt: '2026-01-01T00:00:00Z' });
    fs.writeFileSync(path.join(root, 'releases/env-0.builds.json'), JSON.stringify({ 'gone': record('gone'), 'svc-0000': record('svc-0000') }));
    const output = synthFleet(fleet, root, { command: 'synth' });
    expect(output).toContain('removed the build records of gone in env-0, no longer in the fleet');
    expect(JSON.parse(fs.readFileSync(path.join(root, 'releases/env-0.builds.json'), 'utf-8'))).toEqual({ 'svc-0000': record('svc-0000') });
    expect(synthFleet(fleet, root, { command: 'synth' })).not.toContain('removed the build records');
  });
});
