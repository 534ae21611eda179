import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { committedFiles } from '../../../delivery/commit';

describe('committedFiles', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'git-files-'));
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: root, stdio: 'pipe' });
  fs.mkdirSync(path.join(root, 'dist/a'), { recursive: true });
  fs.writeFileSync(path.join(root, 'dist/a/x.yaml'), 'kind: A\n');
  fs.writeFileSync(path.join(root, 'dist/a/notes.txt'), 'ünïcode\n');
  fs.writeFileSync(path.join(root, 'other.yaml'), 'kind: B\n');
  git('init', '--quiet');
  git('add', '-A');
  git('commit', '--quiet', '-m', 'one');
  fs.writeFileSync(path.join(root, 'dist/a/x.yaml'), 'kind: Changed\n');

  test('GIVEN a commit WHEN its files under a folder are read THEN they are as committed, not as in the working tree', () => {
    expect(committedFiles(root, 'HEAD', ['dist'])).toEqual(new Map([['dist/a/notes.txt', 'ünïcode\n'], ['dist/a/x.yaml', 'kind: A\n']]));
    expect([...committedFiles(root, 'HEAD', ['dist'], f => f.endsWith('.yaml')).keys()]).toEqual(['dist/a/x.yaml']);
  });

  test('GIVEN a ref Git does not know, or no repository WHEN read THEN there are no files', () => {
    expect(committedFiles(root, 'nope', ['dist']).size).toBe(0);
    expect(committedFiles(os.tmpdir(), 'HEAD', ['dist']).size).toBe(0);
  });
});
