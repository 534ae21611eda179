import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fileContent, OutputFile, toYaml, writeFiles } from '../../../lib/synth';
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
    writeFiles(sequential, files, Infinity);
    writeFiles(parallel, files, 1);
    const written = readTree(parallel);
    expect(written.size).toBe(files.size);
    expect(written).toEqual(readTree(sequential));
    expect(written.get('.forgejo/workflows/infra.yaml')).toBe('# a comment\nname: infra\n');
  });
});
