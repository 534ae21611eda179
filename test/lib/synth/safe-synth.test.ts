import * as fs from 'fs';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { OutputFolder, SharedWriteResult, SynthShare, fileContent, renderApp, safeSynth } from '../../../lib/synth';
import { readTree, tempRepo } from '../../helpers';

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

/**
 * A share that another thread would write, done in this one: it writes the files of `names` as
 * `appWithServices` renders them, or what `reply` says, and records whether it was stopped.
 */
function fakeShare(names: string[], reply?: () => SharedWriteResult): SynthShare & { stopped: boolean } {
  const share = {
    stopped: false,
    folders: names.map(name => `dist/staging/${name}`),
    start(staging: string) {
      const files = renderApp(appWithServices(names));
      for (const [file, content] of files) {
        fs.mkdirSync(path.dirname(path.join(staging, file)), { recursive: true });
        fs.writeFileSync(path.join(staging, file), `${fileContent(content)}# written by the share\n`);
      }
      return { wait: reply ?? (() => ({ files: [...files.keys()], written: files.size })), stop: () => { share.stopped = true; } };
    },
  };
  return share;
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

  test('GIVEN a share of the output on another thread WHEN synthesized THEN this thread leaves the folders of the share to it and commits both', () => {
    const root = tempRepo();
    const share = fakeShare(['b', 'c']);
    const result = safeSynth({ root, build: () => appWithServices(['a', 'b', 'c']), allowPrune: true, shares: [share] });
    const dist = readTree(path.join(root, 'dist'));
    expect([...dist.keys()].sort()).toEqual(['staging/a/configmap-a.yaml', 'staging/b/configmap-b.yaml', 'staging/c/configmap-c.yaml']);
    expect(dist.get('staging/a/configmap-a.yaml')).not.toContain('# written by the share');
    expect(dist.get('staging/b/configmap-b.yaml')).toContain('# written by the share');
    expect(result.filesWritten).toBe(3);
    expect(share.stopped).toBe(true);
  });

  test.each<[string, () => App, (() => SharedWriteResult) | undefined, string]>([
    ['a validation problem', () => appWithServices(['a', 'b'], { invalid: true }), undefined, "app: 'setWeight' is 150"],
    ['a share that fails', () => appWithServices(['a', 'b']), () => { throw new Error('synth worker: boom'); }, 'synth worker: boom'],
    ['a share that wrote other files than the app has', () => appWithServices(['a', 'b']), () => ({ files: [], written: 0 }), 'share 0 of the synth wrote 0 files where the app has 1'],
  ])('GIVEN %s while a share runs WHEN synthesized THEN it throws, the share is stopped and dist/ is byte for byte unchanged', (_, build, reply, message) => {
    const root = tempRepo();
    const before = readTree(path.join(root, 'dist'));
    const share = fakeShare(['b'], reply);
    expect(() => safeSynth({ root, build, allowPrune: true, shares: [share] })).toThrow(message);
    expect(share.stopped).toBe(true);
    expect(readTree(path.join(root, 'dist'))).toEqual(before);
    expect(fs.readdirSync(root).filter(f => f.startsWith('.synth-staging'))).toEqual([]);
  });
});
