import { IConstruct } from 'constructs';

/**
 * What went wrong with one user-supplied value, in the shape every error of this project takes:
 * where (construct path or file), which field, which value, the rule it breaks and how to fix it.
 */
export interface Problem {
  /** The construct path or file that holds the value. */
  readonly at: string;
  /** The prop, key or flag that holds the value. */
  readonly field: string;
  /** The offending value. */
  readonly value: unknown;
  /** The rule the value breaks, lowercase and without a trailing period. */
  readonly rule: string;
  /** How to fix it, lowercase and without a trailing period. */
  readonly fix: string;
}

/** Renders a problem as one line: `at: 'field' is value: rule; fix`. */
export function describeProblem(problem: Problem): string {
  return `${problem.at}: '${problem.field}' is ${quote(problem.value)}: ${problem.rule}; ${problem.fix}`;
}

/** Thrown for every mistake a user can make in the fleet, its pins or a command line. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Throws a {@link ConfigError} for a problem. */
export function fail(problem: Problem): never {
  throw new ConfigError(describeProblem(problem));
}

/** Throws a {@link ConfigError} for a value held by a construct. */
export function failAt(scope: IConstruct, field: string, value: unknown, rule: string, fix: string): never {
  return fail({ at: scope.node.path, field, value, rule, fix });
}

/** Throws a {@link ConfigError} for the first of `problems`, messages built with {@link problemAt}, if any. */
export function failOnFirst(problems: readonly string[]): void {
  if (problems.length > 0) throw new ConfigError(problems[0]);
}

/** The message of a problem found by `node.addValidation`, for a value held by that construct. */
export function problemAt(scope: IConstruct, field: string, value: unknown, rule: string, fix: string): string {
  return describeProblem({ at: scope.node.path, field, value, rule, fix });
}

function quote(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return `'${value}'`;
  return JSON.stringify(value);
}
