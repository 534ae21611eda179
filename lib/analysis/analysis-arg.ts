/** A Secret key whose value the controller reads when it starts an AnalysisRun. */
export interface SecretKeyRef {
  /** The Secret's name, in the Rollout's namespace. */
  readonly name: string;
  /** The key within the Secret. */
  readonly key: string;
}

/** An argument an analysis template declares; callers fill it in from the Rollout's analysis. */
export interface AnalysisArg {
  /** The arg's name, referred to as `{{args.NAME}}`. */
  readonly name: string;
  /**
   * A default value; args without a value or a Secret must get a value from every analysis that runs the template.
   * @default - none: every caller must pass a value
   */
  readonly value?: string;
  /**
   * A Secret key to read the value from, so credentials never appear in `dist/`. Argo Rollouts allows
   * Secret references in template args only, never in a Rollout's args.
   * @default - none
   */
  readonly secretKeyRef?: SecretKeyRef;
}

/** The args a caller must pass a value for: those without a default or a Secret. */
export function requiredArgNames(args: readonly AnalysisArg[]): string[] {
  return args.filter(arg => arg.value === undefined && arg.secretKeyRef === undefined).map(arg => arg.name);
}
