import { IConstruct } from 'constructs';

/**
 * What went wrong with one user-supplied value, in the shape every error of this project takes:
 * where (construct path, file or command), which field, which value, the rule it breaks and how to fix it.
 */
export interface Problem {
  /** The construct path, file or command that holds the value. */
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

/**
 * Thrown for every mistake a user can make in the fleet, its pins, a command line or the
 * environment: one or more problems, each one line, all of them at once.
 */
export class ConfigError extends Error {
  /** Every problem found, each rendered by {@link describeProblem}. */
  public readonly problems: readonly string[];

  constructor(problems: readonly (Problem | string)[]) {
    const lines = problems.map(p => (typeof p === 'string' ? p : describeProblem(p)));
    super(lines.length === 1 ? lines[0] : `${lines.length} problems found:\n${lines.map(l => `  - ${l}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = lines;
  }
}

/** Throws a {@link ConfigError} for one problem, where nothing else can be checked past it. */
export function fail(problem: Problem): never {
  throw new ConfigError([problem]);
}

/** Throws one {@link ConfigError} for all of `problems`, if there are any. */
export function failAll(problems: readonly (Problem | string)[]): void {
  if (problems.length > 0) throw new ConfigError(problems);
}

/** The message of a problem with a value held by a construct. */
export function problemAt(scope: IConstruct, field: string, value: unknown, rule: string, fix: string): string {
  return describeProblem({ at: scope.node.path, field, value, rule, fix });
}

/**
 * Records problems found while a construct is built, so that the synth reports them with every other
 * problem of the tree instead of stopping at the first (see "When validation runs" in the README).
 */
export function report(scope: IConstruct, problems: readonly string[]): void {
  if (problems.length > 0) scope.node.addValidation({ validate: () => [...problems] });
}

/** Constructs whose own inputs were reported wrong; see {@link reportInputs}. */
const wrongInputs = new WeakSet<IConstruct>();

/**
 * Records problems with the inputs of a construct that builds its children from them, like an L3
 * pattern. While any is reported, what the children find wrong is an echo of the same value in
 * derived terms (a weight as `steps[2].setWeight`), so {@link isEcho} leaves it out.
 */
export function reportInputs(scope: IConstruct, problems: readonly string[]): void {
  report(scope, problems);
  if (problems.length > 0) wrongInputs.add(scope);
}

/** Whether `construct` descends from one whose inputs are reported wrong, so its problems are echoes. */
export function isEcho(construct: IConstruct): boolean {
  return construct.node.scopes.slice(0, -1).some(scope => wrongInputs.has(scope));
}

/** Records one problem with a value held by a construct; see {@link report}. */
export function reportAt(scope: IConstruct, field: string, value: unknown, rule: string, fix: string): void {
  report(scope, [problemAt(scope, field, value, rule, fix)]);
}

function quote(value: unknown): string {
  if (value === undefined) return 'unset';
  // Control characters are escaped, so that a problem is always one line.
  if (typeof value === 'string') return `'${value.replace(/[\u0000-\u001f\u007f]/g, c => JSON.stringify(c).slice(1, -1))}'`;
  // JSON would write NaN and ±Infinity as null, which hides what the user passed.
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return JSON.stringify(value);
}
