import { parseArgs } from 'util';
import { ConfigError, fail } from '../lib/errors';

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

/** What a command produced: its output, and whether it found what it checks for to be failing. */
export interface CommandResult {
  readonly output: string;
  readonly failed: boolean;
}

/**
 * Runs a command and sets the exit code: 0 on success; 1 when the command reports a failed check;
 * 1 with `error: <message>` for a mistake the user can fix; 1 with the stack for a bug.
 */
export async function runCommand(command: () => string | CommandResult | Promise<string | CommandResult>): Promise<void> {
  try {
    const result = await command();
    const { output, failed } = typeof result === 'string' ? { output: result, failed: false } : result;
    if (output) console.log(output);
    if (failed) process.exitCode = 1;
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`error: ${e.message}`);
    } else {
      console.error(e instanceof Error ? e.stack : String(e));
    }
    process.exitCode = 1;
  }
}
