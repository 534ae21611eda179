import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fail } from '../../lib/errors/problem';

/** The lock file at the repository root; it names its holder. */
export const LOCK_FILE = '.infra.lock';

/** Who holds the lock. */
interface Holder {
  readonly pid: number;
  readonly host: string;
  readonly command: string;
  readonly since: string;
}

const SLEEPER = new Int32Array(new SharedArrayBuffer(4));
/** A lock file nobody could read for this long was left half-written by a killed taker. */
const UNREADABLE_STALE_MS = 5_000;

/** Options of {@link withRepoLock}. */
export interface RepoLockOptions {
  /**
   * How long to wait for another writer before giving up.
   * @default 60 seconds
   */
  readonly waitMs?: number;
}

/**
 * Runs `work` holding the repository's exclusive lock, so that one writer at a time reads the pins,
 * synthesizes and commits: two releases at once both land, one after the other. The lock file is
 * created with O_EXCL; a lock whose holder process is gone (on this host) is stale and is taken
 * over by renaming it away first, which only one taker can do. Another live holder is waited for,
 * up to `waitMs`, then named in the error.
 */
export function withRepoLock<T>(root: string, command: string, work: () => T, options: RepoLockOptions = {}): T {
  const file = path.join(root, LOCK_FILE);
  const deadline = Date.now() + (options.waitMs ?? 60_000);
  const me: Holder = { pid: process.pid, host: os.hostname(), command, since: new Date().toISOString() };
  for (;;) {
    try {
      const fd = fs.openSync(file, 'wx');
      fs.writeSync(fd, JSON.stringify(me));
      fs.closeSync(fd);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const holder = readHolder(file);
    if (holder ? isStale(holder) : unreadableFor(file) > UNREADABLE_STALE_MS) {
      // Renaming is atomic: of several takers, one moves the stale lock away and the others retry.
      try {
        fs.renameSync(file, `${file}.stale.${process.pid}`);
        const content = fs.readFileSync(`${file}.stale.${process.pid}`, 'utf-8');
        fs.rmSync(`${file}.stale.${process.pid}`, { force: true });
        // Stdout is the command's output: the takeover is said on stderr.
        process.stderr.write(holder
          ? `warning: ${LOCK_FILE}: took over the lock of ${holder.command} (pid ${holder.pid}), whose process is gone\n`
          : `warning: ${LOCK_FILE}: took over a lock file that names no holder (${JSON.stringify(content.slice(0, 80))}), left by a killed command or written by hand\n`);
      } catch {
        // Another taker was first.
      }
      continue;
    }
    if (Date.now() >= deadline) {
      const who = holder ? `${holder.command} (pid ${holder.pid} on ${holder.host}, since ${holder.since})` : 'another command';
      fail({
        at: LOCK_FILE, field: 'holder', value: who, rule: 'another command is writing dist/, releases/ and .forgejo/',
        fix: `wait for it to finish; if that process is gone, delete ${LOCK_FILE}`,
      });
    }
    // The commands are synchronous: sleep without returning to the event loop, with jitter.
    Atomics.wait(SLEEPER, 0, 0, 50 + Math.floor(Math.random() * 100));
  }
  try {
    return work();
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/** The holder the lock file names, or undefined while it is being written or removed, or when it names none. */
function readHolder(file: string): Holder | undefined {
  let data: Partial<Holder>;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf-8'));
  } catch {
    return undefined;
  }
  const valid = typeof data === 'object' && data !== null && Number.isInteger(data.pid) && (data.pid ?? 0) > 0
    && typeof data.host === 'string' && typeof data.command === 'string' && typeof data.since === 'string';
  return valid ? data as Holder : undefined;
}

function unreadableFor(file: string): number {
  try {
    return Date.now() - fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

/** A holder on this host whose process no longer exists. */
function isStale(holder: Holder): boolean {
  if (holder.host !== os.hostname()) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
