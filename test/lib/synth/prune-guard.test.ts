import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pruneProblems } from '../../../lib/synth';

function distWith(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dist-'));
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
  return dir;
}

const doc = 'kind: X\n';

describe('pruneProblems', () => {
  test('GIVEN no current dist WHEN checked THEN anything may be written', () => {
    expect(pruneProblems('/nonexistent/dist', new Map())).toEqual([]);
  });

  test('GIVEN an environment folder that disappears WHEN checked THEN both it and its services are named', () => {
    const current = distWith({ 'prod/api/a.yaml': doc, 'staging/api/a.yaml': doc });
    expect(pruneProblems(current, new Map([['dist/staging/api/a.yaml', { objects: [{ toJson: () => ({ kind: 'X' }) }] }]]), { maxDroppedShare: 1 })).toEqual([
      'dist/prod would be removed, and Argo CD would prune everything it deployed',
      'dist/prod/api would be removed, and Argo CD would prune everything it deployed',
    ]);
  });

  test('GIVEN more documents dropped than allowed WHEN checked THEN the share is reported', () => {
    const current = distWith({ 'staging/api/a.yaml': `${doc}---\n${doc}---\n${doc}---\n${doc}` });
    expect(pruneProblems(current, new Map([['dist/staging/api/a.yaml', { objects: [{ toJson: () => ({ kind: 'X' }) }] }]]))).toEqual([
      '3 of 4 documents in dist/ would be dropped (75%, more than the 10% allowed)',
    ]);
    expect(pruneProblems(current, new Map([['dist/staging/api/a.yaml', { objects: [{ toJson: () => ({ kind: 'X' }) }] }]]), { maxDroppedShare: 0.8 })).toEqual([]);
  });
});
