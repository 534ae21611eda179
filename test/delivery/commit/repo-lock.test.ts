import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LOCK_FILE, withRepoLock } from '../../../delivery/commit';

const repo = () => fs.mkdtempSync(path.join(os.tmpdir(), 'lock-'));
const holder = (pid: number) => JSON.stringify({ pid, host: os.hostname(), command: 'release', since: '2026-11-27T00:00:00.000Z' });

describe('withRepoLock', () => {
  test('GIVEN a free repository WHEN locked THEN the work runs holding the lock, which is gone afterwards, even after a throw', () => {
    const root = repo();
    expect(withRepoLock(root, 'synth', () => JSON.parse(fs.readFileSync(path.join(root, LOCK_FILE), 'utf-8')).command)).toBe('synth');
    expect(fs.existsSync(path.join(root, LOCK_FILE))).toBe(false);
    expect(() => withRepoLock(root, 'synth', () => { throw new Error('boom'); })).toThrow('boom');
    expect(fs.existsSync(path.join(root, LOCK_FILE))).toBe(false);
  });

  test('GIVEN a live holder WHEN locked THEN it waits, then fails naming the holder and the fix', () => {
    const root = repo();
    fs.writeFileSync(path.join(root, LOCK_FILE), holder(process.ppid));
    expect(() => withRepoLock(root, 'synth', () => 'ran', { waitMs: 300 })).toThrow(
      `.infra.lock: 'holder' is 'release (pid ${process.ppid} on ${os.hostname()}, since 2026-11-27T00:00:00.000Z)': `
      + 'another command is writing dist/, releases/ and .forgejo/; wait for it to finish; if that process is gone, delete .infra.lock',
    );
    expect(fs.readFileSync(path.join(root, LOCK_FILE), 'utf-8')).toBe(holder(process.ppid));
  });

  test('GIVEN a lock whose process is gone WHEN locked THEN it is taken over', () => {
    const root = repo();
    const gone = spawnSync('node', ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf-8' }).stdout;
    fs.writeFileSync(path.join(root, LOCK_FILE), holder(Number(gone)));
    expect(withRepoLock(root, 'synth', () => 'ran', { waitMs: 300 })).toBe('ran');
  });

  test('GIVEN a half-written lock left long ago WHEN locked THEN it is taken over', () => {
    const root = repo();
    fs.writeFileSync(path.join(root, LOCK_FILE), '{"pid":');
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(path.join(root, LOCK_FILE), old, old);
    expect(withRepoLock(root, 'synth', () => 'ran', { waitMs: 300 })).toBe('ran');
  });

  test.each([['{}'], ['{"pid":"x","host":1}'], ['null'], ['garbage']])('GIVEN a lock file holding %s, left long ago WHEN locked THEN it is taken over, and stderr says so', content => {
    const root = repo();
    fs.writeFileSync(path.join(root, LOCK_FILE), content);
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(path.join(root, LOCK_FILE), old, old);
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(withRepoLock(root, 'synth', () => 'ran', { waitMs: 300 })).toBe('ran');
      expect(stderr).toHaveBeenCalledWith(`warning: .infra.lock: took over a lock file that names no holder (${JSON.stringify(content)}), left by a killed command or written by hand\n`);
    } finally {
      stderr.mockRestore();
    }
  });

  test('GIVEN a lock file naming no holder, written just now WHEN the wait ends THEN the error names no pid of undefined', () => {
    const root = repo();
    fs.writeFileSync(path.join(root, LOCK_FILE), '{}');
    expect(() => withRepoLock(root, 'synth', () => 'ran', { waitMs: 200 })).toThrow(
      ".infra.lock: 'holder' is 'another command': another command is writing dist/, releases/ and .forgejo/; wait for it to finish; if that process is gone, delete .infra.lock",
    );
  });
});
