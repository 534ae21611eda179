import { execFileSync } from 'child_process';

/**
 * The files a Git commit holds under `folders`, by path relative to the repository root, read in one
 * `git cat-file --batch`; `accept` picks which by path. None outside a Git repository, before its first
 * commit, or for a ref Git does not know.
 */
export function committedFiles(
  root: string,
  ref: string,
  folders: readonly string[],
  accept: (file: string) => boolean = () => true,
): Map<string, string> {
  const files = new Map<string, string>();
  let names: string[];
  try {
    names = execFileSync('git', ['-C', root, 'ls-tree', '-r', '-z', '--name-only', ref, '--', ...folders], { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString('utf-8').split('\0').filter(Boolean).filter(accept);
  } catch {
    return files;
  }
  if (names.length === 0) return files;
  const output = execFileSync('git', ['-C', root, 'cat-file', '--batch'], { input: names.map(name => `${ref}:${name}`).join('\n') + '\n', maxBuffer: 2 ** 31 - 1 });
  let offset = 0;
  for (const name of names) {
    const header = output.subarray(offset, output.indexOf(10, offset)).toString('utf-8');
    offset += Buffer.byteLength(header) + 1;
    const size = Number(header.split(' ')[2]);
    files.set(name, output.subarray(offset, offset + size).toString('utf-8'));
    offset += size + 1;
  }
  return files;
}
