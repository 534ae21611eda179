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
        fs.rmSync(`${file}.stale.${process.pid}`, { force: true });
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

function readHolder(file: string): Holder | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf-8')) as Holder;
  } catch {
    // Being written or removed right now: look again.
    return undefined;
  }
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
