import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Command, CommandContext, CommandResult, helpText, parseFlags, repositoryPath, required, runCommand, runNamedCommand, systemProblem, warnIfCommitPending } from '../../../cli/support/command';
import { fail } from '../../../lib/errors';

type Body = () => string | CommandResult | Promise<string | CommandResult>;

/** Runs a command as the entry points do, capturing what it prints and its exit code. */
async function run(command: Body, runner: (c: Body) => Promise<void> = runCommand) {
  const out: string[] = [];
  const err: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation(m => { out.push(String(m)); });
  const error = jest.spyOn(console, 'error').mockImplementation(m => { err.push(String(m)); });
  const exitCode = process.exitCode;
  try {
    await runner(command);
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

  test('GIVEN many commands run in one process WHEN each has run THEN stdout keeps one listener for a closed pipe, not one per command', async () => {
    const before = process.stdout.listenerCount('error');
    for (let i = 0; i < 12; i++) await run(() => 'done');
    expect(process.stdout.listenerCount('error')).toBeLessThanOrEqual(before + 1);
  });

  test('GIVEN a reader that closes the pipe early WHEN a command prints more THEN it exits 0 without a stack', () => {
    // GIVEN an entry point that prints 200,000 lines through runCommand (test/fixtures/print-lines.ts)
    const entry = path.join(__dirname, '../../fixtures/print-lines.ts');
    // WHEN its output goes into a pipe whose reader takes one line and stops
    const result = spawnSync('bash', ['-o', 'pipefail', '-c', `node scripts/run-ts.cjs ${entry} | head -n 1`], { encoding: 'utf8', cwd: path.join(__dirname, '../../..') });
    // THEN the pipeline succeeds: the command's EPIPE ended it quietly
    expect([result.status, result.stdout, result.stderr]).toEqual([0, 'x\n', '']);
  });

  test('GIVEN an error without a known system code WHEN classified THEN it is no system problem', () => {
    expect(systemProblem(new Error('boom'))).toBeUndefined();
    expect(systemProblem(Object.assign(new Error(), { code: 'ENOENT' }))).toBeUndefined();
  });

  describe('runNamedCommand', () => {
    const calls: string[][] = [];
    const echo: Command = { name: 'echo', summary: 'prints its flags', usage: 'npm run echo -- [--loud]', example: 'npm run echo -- --loud', run: (_, argv) => { calls.push(argv); return argv.join(' '); } };
    const context: CommandContext = { root: '/repo', fleet: () => { throw new Error('no fleet'); }, progress: () => undefined };
    const named = (name: string | undefined, argv: string[]) => run(() => '', () => runNamedCommand([echo], name, argv, context));

    test.each([['--help'], ['-h'], ['--loud', '--help']])('GIVEN %s WHEN run THEN the help is printed and the command does not run', async (...argv) => {
      calls.length = 0;
      expect(await named('echo', argv)).toEqual({ out: [helpText(echo)], err: [], code: undefined });
      expect(calls).toEqual([]);
      expect(helpText(echo)).toBe('usage: npm run echo -- [--loud]\n\nprints its flags\n\nexample:\n  npm run echo -- --loud');
    });

    test('GIVEN flags, and --help after a -- WHEN run THEN the command runs with all of them', async () => {
      expect(await named('echo', ['--loud', '--', '--help'])).toEqual({ out: ['--loud -- --help'], err: [], code: undefined });
    });

    test('GIVEN an unknown name WHEN run THEN one error line lists the commands', async () => {
      expect(await named('ech', [])).toEqual({ out: [], err: ["error: command: 'name' is 'ech': is not a command of this repository; use one of: echo"], code: 1 });
    });
  });

  describe('repositoryPath', () => {
    const root = () => fs.mkdtempSync(path.join(os.tmpdir(), 'repo-path-'));
    test.each([['../x'], ['/etc/passwd'], ['reports/../../x']])('GIVEN %s WHEN resolved THEN it is refused as outside the repository', value => {
      expect(() => repositoryPath(root(), value, 'plan', '--out', 'write inside')).toThrow(`plan: '--out' is '${value}': is outside the repository; write inside`);
    });

    test('GIVEN a link out of the repository WHEN resolved THEN it is refused, and a path inside is accepted', () => {
      const dir = root();
      fs.symlinkSync('/etc', path.join(dir, 'etc'));
      expect(() => repositoryPath(dir, 'etc/passwd', 'review:publish', '--append', 'fix')).toThrow("review:publish: '--append' is 'etc/passwd': is outside the repository; fix");
      expect(repositoryPath(dir, 'reports/plan', 'plan', '--out', 'fix')).toBe(path.join(dir, 'reports/plan'));
    });
  });

  test('GIVEN a pending commit journal WHEN a read-only command starts THEN it warns how to complete it, and says nothing without one', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pending-'));
    const said: string[] = [];
    const context: CommandContext = { root: dir, fleet: () => { throw new Error('unused'); }, progress: m => said.push(m) };
    warnIfCommitPending(context);
    expect(said).toEqual([]);
    fs.writeFileSync(path.join(dir, '.synth-commit.json'), '{}');
    warnIfCommitPending(context);
    expect(said).toEqual(['warning: .synth-commit.json: a commit interrupted by a crash is pending, so dist/ and releases/ may hold a mix of two states; run npm run synth to complete it']);
  });
});
