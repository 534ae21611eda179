import * as fs from 'fs';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { safeSynth } from '../../../delivery/commit';
import { OutputFolder } from '../../../lib/output';
import { readTree, tempRepo } from '../../helpers';

jest.mock('fs', () => {
  const actual = jest.requireActual<typeof import('fs')>('fs');
  // The real write, which a test can make fail as a full disk does.
  return { ...actual, writeFileSync: jest.fn(actual.writeFileSync) };
});

function appWithServices(names: string[], options: { invalid?: boolean } = {}): App {
  const app = new App();
  for (const name of names) {
    const chart = new Chart(app, name);
    OutputFolder.mark(chart, { path: `dist/staging/${name}` });
    new kplus.ConfigMap(chart, 'Config', { metadata: { name }, data: { a: 'b' } });
  }
  if (options.invalid) app.node.addValidation({ validate: () => ["app: 'setWeight' is 150: must be an integer from 0 to 100; use 10"] });
  return app;
}

describe('safeSynth', () => {
  test('GIVEN a valid app WHEN synthesized THEN dist/ is replaced by exactly the rendered files', () => {
    const root = tempRepo();
    const result = safeSynth({ root, build: () => appWithServices(['a', 'b']), allowPrune: true });
    expect(result.distFiles).toEqual(['dist/staging/a/configmap-a.yaml', 'dist/staging/b/configmap-b.yaml']);
    expect([...readTree(path.join(root, 'dist')).keys()].sort()).toEqual(['staging/a/configmap-a.yaml', 'staging/b/configmap-b.yaml']);
    expect(fs.readdirSync(root).filter(f => f.startsWith('.synth-staging'))).toEqual([]);
  });

  test.each([
    ['a validation problem', () => appWithServices(['a'], { invalid: true }), "app: 'setWeight' is 150: must be an integer from 0 to 100"],
    ['an exception while building', () => { throw new Error('boom'); }, 'boom'],
    ['an app with no manifests', () => new App(), "dist/: 'files' is []: the synth produced no manifests, and an empty dist/ would make Argo CD delete everything; check that fleet.ts defines services and releases/ pins them"],
  ])('GIVEN %s WHEN synthesized THEN it throws and dist/ is byte for byte unchanged', (_, build, message) => {
    const root = tempRepo();
    const before = readTree(path.join(root, 'dist'));
    expect(() => safeSynth({ root, build })).toThrow(message);
    expect(readTree(path.join(root, 'dist'))).toEqual(before);
    expect(fs.readdirSync(root).filter(f => f.startsWith('.synth-staging'))).toEqual([]);
  });

  test('GIVEN a synth that would remove a service folder WHEN run THEN the prune guard refuses and says how to proceed', () => {
    const root = tempRepo({ withDist: false });
    safeSynth({ root, build: () => appWithServices(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k']) });
    const before = readTree(path.join(root, 'dist'));
    expect(() => safeSynth({ root, build: () => appWithServices(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j']) }))
      .toThrow("prune guard: 'dist/staging/k' is 'removed': argo cd would prune everything it deployed; if the removal is intended, run again with --allow-prune");
    expect(readTree(path.join(root, 'dist'))).toEqual(before);
    safeSynth({ root, build: () => appWithServices(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j']), allowPrune: true });
    expect(fs.existsSync(path.join(root, 'dist/staging/k'))).toBe(false);
  });

  test('GIVEN extra files WHEN synthesized THEN they are written beside dist/ in the same step', () => {
    const root = tempRepo();
    safeSynth({ root, build: () => appWithServices(['a']), allowPrune: true, extraFiles: new Map([['releases/staging.json', '{}\n']]) });
    expect(fs.readFileSync(path.join(root, 'releases/staging.json'), 'utf-8')).toBe('{}\n');
  });

  test('GIVEN a step before the commit WHEN synthesized THEN it gets what the commit writes while dist/ is unchanged, and when it fails nothing changes', () => {
    // GIVEN a dist/ with one service and a synth of two
    const root = tempRepo();
    safeSynth({ root, build: () => appWithServices(['a']), allowPrune: true });
    const before = readTree(root);
    const extraFiles = new Map([['releases/staging.json', '{}\n']]);
    // WHEN a step before the commit looks, then fails
    const seen: { written: readonly string[]; dist: Map<string, string> }[] = [];
    const failing = (written: readonly string[]) => {
      seen.push({ written, dist: readTree(path.join(root, 'dist')) });
      throw new Error('refused');
    };
    expect(() => safeSynth({ root, build: () => appWithServices(['a', 'b']), extraFiles, beforeCommit: failing })).toThrow('refused');
    // THEN it saw the files to be written and the old dist/; the failure left every output as it was
    expect(seen).toEqual([{ written: ['dist', 'releases/staging.json'], dist: readTree(path.join(root, 'dist')) }]);
    expect(readTree(root)).toEqual(before);
    expect(fs.readdirSync(root).filter(f => f.startsWith('.synth'))).toEqual([]);
  });

  test.each([['ENOSPC'], ['EDQUOT']])('GIVEN a disk that fills (%s) while a file is staged WHEN synthesized THEN the error names that file by its output path, and dist/ and the pins are as they were', code => {
    // GIVEN a synth of two services over a dist/ and a pin file, and a write(2) of b's ConfigMap failing with no path, as it does
    const root = tempRepo();
    safeSynth({ root, build: () => appWithServices(['a']), allowPrune: true });
    const before = readTree(root);
    const write = jest.requireActual<typeof import('fs')>('fs').writeFileSync;
    jest.mocked(fs.writeFileSync).mockImplementation((file, ...rest) => {
      if (String(file).endsWith(path.join('dist', 'staging', 'b', 'configmap-b.yaml'))) throw Object.assign(new Error(`${code}: no space left on device, write`), { code, syscall: 'write' });
      return write(file, ...rest);
    });
    // WHEN synthesized
    let error: NodeJS.ErrnoException | undefined;
    try {
      safeSynth({ root, build: () => appWithServices(['a', 'b']), extraFiles: new Map([['releases/staging.json', '{}\n']]) });
    } catch (e) {
      error = e as NodeJS.ErrnoException;
    } finally {
      jest.mocked(fs.writeFileSync).mockImplementation(write);
    }
    // THEN the file named is the one being written, not the staging folder, which is gone; nothing else changed
    expect(error).toMatchObject({ code, syscall: 'write', path: 'dist/staging/b/configmap-b.yaml' });
    expect(readTree(root)).toEqual(before);
    expect(fs.readdirSync(root).filter(f => f.startsWith('.synth'))).toEqual([]);
  });
});
