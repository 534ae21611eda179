import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fileContent, toYaml, writeFiles } from '../../../delivery/render';
import { OutputFile } from '../../../lib/output';
import { readTree } from '../../helpers';

/** Plain data written like an ApiObject. */
const data = (json: object) => ({ toJson: () => json });

const files = new Map<string, OutputFile>([
  ...Array.from({ length: 40 }, (_, i) => [`dist/env/svc-${i}/configmap.yaml`, { objects: [data({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `c${i}` }, data: { long: 'x'.repeat(200), i: String(i) } })] }] as const),
  ['dist/argocd/root.yaml', { objects: [data({ kind: 'A' }), data({ kind: 'B' })] }],
  ['.forgejo/workflows/infra.yaml', { render: () => '# a comment\nname: infra\n' }],
]);

describe('yaml serializer', () => {
  test('GIVEN a long value WHEN serialized THEN it is not folded, and documents of one file are joined by ---', () => {
    expect(toYaml({ a: 'x '.repeat(100) })).toBe(`a: "${'x '.repeat(100)}"\n`);
    expect(fileContent({ objects: [data({ kind: 'A' }), data({ kind: 'B' })] })).toBe('kind: A\n---\nkind: B\n');
    expect(fileContent({ render: () => 'as is' })).toBe('as is');
  });

  test('GIVEN an output above the threshold WHEN written with a worker thread THEN every file is byte-identical to the sequential write', () => {
    const sequential = fs.mkdtempSync(path.join(os.tmpdir(), 'seq-'));
    const parallel = fs.mkdtempSync(path.join(os.tmpdir(), 'par-'));
    expect(writeFiles(sequential, files, { parallelThreshold: Infinity })).toBe(files.size);
    expect(writeFiles(parallel, files, { parallelThreshold: 1 })).toBe(files.size);
    const written = readTree(parallel);
    expect(written.size).toBe(files.size);
    expect(written).toEqual(readTree(sequential));
    expect(written.get('.forgejo/workflows/infra.yaml')).toBe('# a comment\nname: infra\n');
  });

  test.each([['sequentially', Infinity], ['with a worker thread', 1]])('GIVEN the files as they are now WHEN written %s again with one change THEN only the changed file is written and the rest are links', (_, threshold) => {
    const before = fs.mkdtempSync(path.join(os.tmpdir(), 'before-'));
    writeFiles(before, files, { parallelThreshold: Infinity });
    const changed = new Map(files).set('dist/env/svc-3/configmap.yaml', { objects: [data({ kind: 'ConfigMap', changed: true })] });
    const after = fs.mkdtempSync(path.join(os.tmpdir(), 'after-'));

    expect(writeFiles(after, changed, { parallelThreshold: threshold, previousRoot: before })).toBe(1);
    const inode = (root: string, file: string) => fs.statSync(path.join(root, file)).ino;
    expect([...changed.keys()].filter(file => inode(before, file) !== inode(after, file))).toEqual(['dist/env/svc-3/configmap.yaml']);
    expect(readTree(after).get('dist/env/svc-3/configmap.yaml')).toBe('kind: ConfigMap\nchanged: true\n');
    expect(readTree(after).get('dist/argocd/root.yaml')).toBe(readTree(before).get('dist/argocd/root.yaml'));
  });

  test('GIVEN a file the worker thread cannot write WHEN written THEN the error keeps the file system\'s code, call and path, as a failure in the main thread does', () => {
    // GIVEN a folder where the worker's first file goes
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'worker-fail-'));
    const first = [...files.keys()][0];
    fs.mkdirSync(path.join(dir, first), { recursive: true });
    // WHEN written with a worker thread
    let error: NodeJS.ErrnoException | undefined;
    try {
      writeFiles(dir, files, { parallelThreshold: 1 });
    } catch (e) {
      error = e as NodeJS.ErrnoException;
    }
    // THEN the command can name the file and the fix instead of printing a stack
    expect(error?.message).toMatch(/^yaml worker: Error: EISDIR/);
    expect(error).toMatchObject({ code: 'EISDIR', syscall: 'open', path: path.join(dir, first) });
  });
});
