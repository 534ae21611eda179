/**
 * Puts `content` at `target`: a hard link to `previous` when that file already holds exactly this
 * content, a write otherwise. An unchanged file so keeps its inode and modification time, and a synth
 * that changes a few files writes only those. Self-contained (`fs` comes in as a parameter) so that
 * the worker thread can evaluate its source.
 * @returns whether the file was written
 * @throws the file system's error, naming `target` when the system named no file
 */
export function writeOrLink(fs: typeof import('fs'), target: string, content: string, previous: string | undefined): boolean {
  if (previous !== undefined) {
    const stat = fs.statSync(previous, { throwIfNoEntry: false });
    if (stat?.isFile() && stat.size === Buffer.byteLength(content) && fs.readFileSync(previous, 'utf-8') === content) {
      try {
        fs.linkSync(previous, target);
        return false;
      } catch {
        // Another file system, or links not allowed: write instead.
      }
    }
  }
  try {
    fs.writeFileSync(target, content);
  } catch (e) {
    // A write(2) error (a full disk, a quota) names no file: name the one being written.
    const error = e as NodeJS.ErrnoException;
    if (error.code !== undefined && error.path === undefined) error.path = target;
    throw error;
  }
  return true;
}
