import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import fc from 'fast-check';
import { benchFleet } from '../../../cli/benchmark/bench-fleet';
import { promoteCommand } from '../../../cli/promote';
import { releaseCommand } from '../../../cli/release';
import { rollbackCommand } from '../../../cli/rollback';
import { systemProblem } from '../../../cli/support/command';
import { loadPins } from '../../../delivery/pins';
import { synthFleet } from '../../../delivery/synth/synth-fleet';
import { ReleasePins } from '../../../model';
import { fleet as fixtureFleet } from '../../fixtures/fleet';
import { DIGEST, changedFiles, readTree, tempRepo } from '../../helpers';

jest.mock('fs', () => {
  const actual = jest.requireActual<typeof import('fs')>('fs');
  // The real write, which a test can make fail as a full disk does.
  return { ...actual, writeFileSync: jest.fn(actual.writeFileSync) };
});

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

  describe('with $INFRA_WRITTEN_FILES set, as scripts/commit-and-push.sh sets it', () => {
    const release = (root: string) => releaseCommand(fixtureFleet, root, ['--service', 'api', '--env', 'staging', '--image', `ghcr.io/acme/api@sha256:${DIGEST}`]);
    const nothing = (root: string) => synthFleet(fixtureFleet, root, { command: 'release', edit: () => 'nothing to release' });
    let list: string;
    beforeEach(() => {
      list = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'written-')), 'list');
      process.env.INFRA_WRITTEN_FILES = list;
    });
    afterEach(() => delete process.env.INFRA_WRITTEN_FILES);

    test.each<[string, (root: string) => string, string]>([
      ['a release', release, 'dist\nreleases/staging.json\n'],
      ['a command with nothing to change', nothing, ''],
    ])('GIVEN %s WHEN it runs THEN the list names what it wrote, and nothing else', (_, run, listed) => {
      const root = tempRepo();
      run(root);
      expect(fs.readFileSync(list, 'utf-8')).toBe(listed);
    });

    test.each<[string, string, (root: string) => string, string]>([
      ['ENOSPC', 'a release', release, 'the disk is full; free some disk space and run the command again; nothing was committed'],
      ['EDQUOT', 'a release', release, 'the disk quota is used up; free some space and run the command again; nothing was committed'],
      ['ENOSPC', 'a command with nothing to change', nothing, 'the disk is full; free some disk space and run the command again; nothing was committed'],
    ])('GIVEN a disk that fills (%s) while the list of written files is written WHEN %s runs THEN one error line names the list and the fix, and every output is as it was', (code, _, run, words) => {
      // GIVEN a write(2) of the list that fails with no path, as a full disk makes it
      const root = tempRepo();
      const before = readTree(root);
      const write = jest.requireActual<typeof import('fs')>('fs').writeFileSync;
      jest.mocked(fs.writeFileSync).mockImplementation((file, ...rest) => {
        if (file === list) throw Object.assign(new Error(`${code}: no space left on device, write`), { code, syscall: 'write' });
        return write(file, ...rest);
      });
      // WHEN the command runs
      let error: unknown;
      try {
        run(root);
      } catch (e) {
        error = e;
      } finally {
        jest.mocked(fs.writeFileSync).mockImplementation(write);
      }
      // THEN the line names the list by its path and variable; the list is written before the commit, so nothing changed
      expect(`error: ${systemProblem(error)}`).toBe(`error: the list of written files ${list} ($INFRA_WRITTEN_FILES): 'write' is '${code}': ${words}`);
      expect(readTree(root)).toEqual(before);
      expect(fs.readdirSync(root).filter(f => f.startsWith('.synth'))).toEqual([]);
    });
  });
});
