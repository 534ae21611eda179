import * as fs from 'fs';
import * as path from 'path';

/** The folders of PATH, where commands look for executables. */
export function pathFolders(): string[] {
  return (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
}

/** The first `name` in `folders`, or undefined when none holds it. */
export function findExecutable(name: string, folders: readonly string[] = pathFolders()): string | undefined {
  return folders.map(folder => path.join(folder, name)).find(candidate => fs.existsSync(candidate));
}
