import { CommandResult, parseFlags, required, runCommand, systemProblem } from '../../cli/command';
import { fail } from '../../lib/errors';

/** Runs a command as the entry points do, capturing what it prints and its exit code. */
async function run(command: () => string | CommandResult | Promise<string | CommandResult>) {
  const out: string[] = [];
  const err: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation(m => { out.push(String(m)); });
  const error = jest.spyOn(console, 'error').mockImplementation(m => { err.push(String(m)); });
  const exitCode = process.exitCode;
  try {
    await runCommand(command);
    return { out, err, code: process.exitCode };
  } finally {
    process.exitCode = exitCode;
    log.mockRestore();
    error.mockRestore();
  }
}

describe('command', () => {
  test('GIVEN flags WHEN parsed THEN strings and switches come back typed, and a missing required one names the usage', () => {
    expect(parseFlags(['--env', 'staging', '--json'], { env: 'string', json: 'boolean', out: 'string' }, 'npm run x')).toEqual({ env: 'staging', json: true, out: undefined });
    expect(() => required(undefined, 'env', 'npm run release -- --env ENV')).toThrow("release: '--env' is unset: is required; usage: npm run release -- --env ENV");
    expect(() => parseFlags(['--nope'], {}, 'npm run fleet')).toThrow("fleet: 'argv' is '--nope': unknown option '--nope'");
  });

  test('GIVEN each outcome WHEN run THEN output, error line and exit code follow the contract', async () => {
    expect(await run(() => 'done')).toEqual({ out: ['done'], err: [], code: undefined });
    expect(await run(() => ({ output: 'checked', failed: true }))).toEqual({ out: ['checked'], err: [], code: 1 });
    expect(await run(() => fail({ at: 'fleet', field: 'name', value: 'A', rule: 'must be lowercase', fix: "use 'a'" })))
      .toEqual({ out: [], err: ["error: fleet: 'name' is 'A': must be lowercase; use 'a'"], code: 1 });
    const bug = await run(() => { throw new TypeError('x is undefined'); });
    expect(bug.err[0]).toMatch(/^TypeError: x is undefined\n\s+at /);
  });

  test.each([
    ['EACCES', 'open', "error: /repo/releases/staging.json: 'open' is 'EACCES': permission denied; give this user write access to the repository, or run the command as its owner"],
    ['EROFS', 'rename', "error: /repo/releases/staging.json: 'rename' is 'EROFS': the file system is read-only; run the command in a writable checkout"],
    ['ENOSPC', 'write', "error: /repo/releases/staging.json: 'write' is 'ENOSPC': the disk is full; free some disk space and run the command again; nothing was committed"],
    ['EXDEV', 'rename', "error: /repo/releases/staging.json: 'rename' is 'EXDEV': a rename crossed file systems; keep the whole repository on one file system"],
  ])('GIVEN the file system failing with %s WHEN run THEN one clean error line names the path, the call and the fix, no stack', async (code, syscall, line) => {
    const error = Object.assign(new Error(`${code}: failed`), { code, syscall, path: '/repo/releases/staging.json' });
    expect(await run(() => { throw error; })).toEqual({ out: [], err: [line], code: 1 });
  });

  test('GIVEN an error without a known system code WHEN classified THEN it is no system problem', () => {
    expect(systemProblem(new Error('boom'))).toBeUndefined();
    expect(systemProblem(Object.assign(new Error(), { code: 'ENOENT' }))).toBeUndefined();
  });
});
