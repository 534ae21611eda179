import type { Action } from './action';
import { compact } from './private/compact';

/** Options every step takes. */
export interface StepOptions {
  /**
   * An id, so later steps and job outputs can read this step's outputs.
   * @default - none
   */
  readonly id?: string;
  /**
   * A condition; the step is skipped when it is false.
   * @default - always run while the job succeeds
   */
  readonly if?: string;
  /**
   * Environment variables. Pass untrusted or secret values here and refer to them as `$NAME` in
   * scripts, never as `${{ }}` inside `run`.
   * @default - none
   */
  readonly env?: Record<string, string>;
}

/** Options of a `run` step. */
export interface RunStepOptions extends StepOptions {
  /**
   * The folder the script runs in.
   * @default - the workspace
   */
  readonly workingDirectory?: string;
}

/** Options of a `uses` step. */
export interface UsesStepOptions extends StepOptions {
  /**
   * The action's inputs.
   * @default - none
   */
  readonly with?: Record<string, string | number | boolean>;
}

/** One step of a job: either a script (`run`) or an action (`uses`), never both. */
export class Step {
  /** A shell script. */
  public static run(name: string, script: string, options: RunStepOptions = {}): Step {
    return new Step(name, options, undefined, script, undefined, options.workingDirectory);
  }

  /** A pinned action. */
  public static uses(name: string, action: Action, options: UsesStepOptions = {}): Step {
    return new Step(name, options, action, undefined, options.with, undefined);
  }

  private constructor(
    public readonly name: string,
    public readonly options: StepOptions,
    public readonly action: Action | undefined,
    public readonly script: string | undefined,
    public readonly inputs: Record<string, string | number | boolean> | undefined,
    public readonly workingDirectory: string | undefined,
  ) {}

  /** The step as workflow YAML takes it, keys in a stable order. */
  public toJson(): Record<string, unknown> {
    return compact({
      'name': this.name,
      'id': this.options.id,
      'if': this.options.if,
      'uses': this.action?.uses,
      'with': this.inputs,
      'working-directory': this.workingDirectory,
      'env': this.options.env,
      'run': this.script,
    });
  }
}
