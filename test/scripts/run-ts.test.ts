import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT } from '../helpers';

function run(entry: string, args: string[] = []): string {
  return execFileSync('node', [path.join(ROOT, 'scripts/run-ts.cjs'), entry, ...args], { cwd: ROOT, encoding: 'utf-8' });
}

describe('run-ts', () => {
  test('GIVEN a TypeScript entry and arguments WHEN run THEN it runs as the entry itself, with its own __dirname and argv', () => {
    const fleet = JSON.parse(run('bin/infra.ts', ['fleet', '--json']));
    expect(fleet.environments).toEqual(['staging', 'production']);
  });

  test('GIVEN an entry changed after it was bundled, even with its old modification time WHEN run again THEN the new code runs', () => {
    const dir = fs.mkdtempSync(path.join(ROOT, 'node_modules', '.cache', 'run-ts-test-'));
    const entry = path.join(dir, 'entry.ts');
    try {
      fs.writeFileSync(entry, "const greeting: string = 'first';\nconsole.log(greeting, __filename === process.argv[1]);\n");
      const bundled = fs.statSync(entry).mtime;
      expect(run(entry)).toBe('first true\n');
      expect(run(entry)).toBe('first true\n');
      fs.writeFileSync(entry, "const greeting: string = 'second';\nconsole.log(greeting);\n");
      // As cp -p, tar or rsync -t leave it: the edit carries a time from before the bundle.
      const earlier = new Date(bundled.getTime() - 60_000);
      fs.utimesSync(entry, earlier, earlier);
      expect(run(entry)).toBe('second\n');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
