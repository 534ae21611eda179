import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { pendingCommitWarning } from '../../delivery/commit';
import { ConfigError, describeProblem, fail } from '../../lib/errors';
import type { Fleet } from '../../model';

/** The flags a command takes: each a string, or a boolean switch. */
export type FlagSpec = Record<string, 'string' | 'boolean'>;

/** Parsed flags: strings for string flags, booleans for switches. */
export type Flags<T extends FlagSpec> = { [K in keyof T]: T[K] extends 'string' ? string | undefined : boolean };

/**
 * Parses `argv` strictly: an unknown flag or a missing value is a ConfigError naming the command's usage.
 */
export function parseFlags<T extends FlagSpec>(argv: string[], spec: T, usage: string): Flags<T> {
  try {
    const options = Object.fromEntries(Object.entries(spec).map(([name, type]) => [name, { type }]));
    const { values } = parseArgs({ args: argv, options, strict: true, allowPositionals: false });
    const flags: Record<string, unknown> = {};
    for (const [name, type] of Object.entries(spec)) flags[name] = type === 'boolean' ? values[name] === true : values[name];
    return flags as Flags<T>;
  } catch (e) {
    fail({ at: usage.split(' ')[2], field: 'argv', value: argv.join(' '), rule: (e as Error).message.split('\n')[0].replace(/\.$/, '').toLowerCase(), fix: `usage: ${usage}` });
  }
}

/** Reads a required string flag. */
export function required(value: string | undefined, flag: string, usage: string): string {
  if (value === undefined || value === '') fail({ at: usage.split(' ')[2], field: `--${flag}`, value, rule: 'is required', fix: `usage: ${usage}` });
  return value;
}

/**
 * The absolute path a flag names, relative to the repository root, which must stay inside it, symbolic
 * links followed: a command never reads or writes a file it was not meant to (`--append /etc/passwd`).
 */
export function repositoryPath(root: string, value: string, at: string, field: string, fix: string): string {
  const resolved = path.resolve(root, value);
  const real = (p: string): string => (fs.existsSync(p) ? fs.realpathSync(p) : path.join(real(path.dirname(p)), path.basename(p)));
  const relative = path.relative(fs.realpathSync(root), real(resolved));
  if (relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) {
    fail({ at, field, value, rule: 'is outside the repository', fix });
  }
  return resolved;
}

/**
 * Says on stderr, for a command that only reads, that a crashed commit is pending: until a writing
 * command completes it, what it reads may be a mix of two states.
 */
export function warnIfCommitPending(context: CommandContext): void {
  const warning = pendingCommitWarning(context.root);
  if (warning) context.progress(warning);
}

/** What every command is given: the repository it works on, the fleet and a channel for progress. */
export interface CommandContext {
  /** The repository root. */
  readonly root: string;
  /** The fleet of `fleet.ts`, built when first asked for, so a broken fleet is one error line of the command. */
  fleet(): Fleet;
  /** Reports progress of long work, on stderr, so stdout stays the command's output. */
  progress(message: string): void;
}

/** One entry of the command table: what `npm run <name>` does, how to call it, and the function that does it. */
export interface Command {
  /** The npm script, e.g. `release`. */
  readonly name: string;
  /** What the command does, in one sentence. */
  readonly summary: string;
  /** The call with every flag, e.g. `npm run release -- --service NAME ...`. */
  readonly usage: string;
  /** A call that works on the example fleet. */
  readonly example: string;
  /** Runs the command with its flags. */
  run(context: CommandContext, argv: string[]): string | CommandResult | Promise<string | CommandResult>;
}

/** The text `npm run <name> -- --help` prints: usage, what it does, and an example. */
export function helpText(command: Command): string {
  return [`usage: ${command.usage}`, '', command.summary, '', 'example:', `  ${command.example}`].join('\n');
}

/**
 * Runs the command called `name` from `commands` with `argv`, through {@link runCommand}; `--help` or
 * `-h` anywhere before a `--` prints its help and changes nothing.
 */
export function runNamedCommand(commands: readonly Command[], name: string | undefined, argv: string[], context: CommandContext): Promise<void> {
  const command = commands.find(c => c.name === name);
  if (!command) {
    return runCommand(() => fail({ at: 'command', field: 'name', value: name, rule: 'is not a command of this repository', fix: `use one of: ${commands.map(c => c.name).join(', ')}` }));
  }
  const flags = argv.indexOf('--') === -1 ? argv : argv.slice(0, argv.indexOf('--'));
  if (flags.includes('--help') || flags.includes('-h')) return runCommand(() => helpText(command));
  return runCommand(() => command.run(context, argv));
}

/** What a command produced: its output, and whether it found what it checks for to be failing. */
export interface CommandResult {
  readonly output: string;
  readonly failed: boolean;
}

/** What the file system said, what it means for a command, and what to do. */
const SYSTEM_ERRORS: Readonly<Record<string, { readonly rule: string; readonly fix: string }>> = {
  EACCES: { rule: 'permission denied', fix: 'give this user write access to the repository, or run the command as its owner' },
  EPERM: { rule: 'operation not permitted', fix: 'give this user write access to the repository, or run the command as its owner' },
  EROFS: { rule: 'the file system is read-only', fix: 'run the command in a writable checkout' },
  ENOSPC: { rule: 'the disk is full', fix: 'free some disk space and run the command again; nothing was committed' },
  EDQUOT: { rule: 'the disk quota is used up', fix: 'free some space and run the command again; nothing was committed' },
  EXDEV: { rule: 'a rename crossed file systems', fix: 'keep the whole repository on one file system' },
  EISDIR: { rule: 'is a folder where a file belongs', fix: "move the folder out of the way, and restore the file with 'git checkout -- <file>'" },
  ENOTDIR: { rule: 'is a file where a folder belongs', fix: "move the file out of the way, and restore the folder with 'git checkout -- <folder>'" },
  EMFILE: { rule: 'too many open files', fix: 'raise the open-file limit (ulimit -n) and run the command again' },
};

/**
 * A failure the environment caused, as one problem line naming the path, or undefined for anything
 * else. A write that failed before the commit left every output as it was; one during the commit is
 * completed by the next command.
 */
export function systemProblem(error: unknown): string | undefined {
  const { code, syscall, path: file } = (error ?? {}) as NodeJS.ErrnoException;
  const known = code ? SYSTEM_ERRORS[code] : undefined;
  if (!known) return undefined;
  return describeProblem({ at: file ?? '(unknown path)', field: syscall ?? 'io', value: code, rule: known.rule, fix: known.fix });
}

/** Ends the process quietly when stdout's reader has gone (EPIPE); any other stdout error stays an error. */
function onClosedPipe(e: Error): void {
  if ((e as NodeJS.ErrnoException).code !== 'EPIPE') throw e;
  process.exit(process.exitCode ?? 0);
}

/**
 * Runs a command and sets the exit code: 0 on success; 1 when the command reports a failed check;
 * 1 with `error: <message>` for a mistake the user can fix or a failure of the environment (a full
 * disk, a read-only checkout); 1 with the stack for a bug.
 */
export async function runCommand(command: () => string | CommandResult | Promise<string | CommandResult>): Promise<void> {
  // A reader that stops early (`npm run fleet | head`) closes the pipe: that is not a failure. One
  // listener per process, so commands run in one process (the tests) do not pile them up.
  if (!process.stdout.listeners('error').includes(onClosedPipe)) process.stdout.on('error', onClosedPipe);
  try {
    const result = await command();
    const { output, failed } = typeof result === 'string' ? { output: result, failed: false } : result;
    if (output) console.log(output);
    if (failed) process.exitCode = 1;
  } catch (e) {
    const system = systemProblem(e);
    if (e instanceof ConfigError || system) {
      console.error(`error: ${system ?? (e as Error).message}`);
    } else {
      console.error(e instanceof Error ? e.stack : String(e));
    }
    process.exitCode = 1;
  }
}
