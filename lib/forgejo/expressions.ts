/** Where an expression sits in a workflow, which decides the contexts it may use. */
export class ExpressionSite {
  public static readonly WORKFLOW_ENV = new ExpressionSite('env', ['github', 'secrets', 'inputs', 'vars']);
  public static readonly WORKFLOW_CONCURRENCY = new ExpressionSite('concurrency', ['github', 'inputs', 'vars']);
  public static readonly JOB_RUNS_ON = new ExpressionSite('runs-on', ['github', 'needs', 'strategy', 'matrix', 'inputs', 'vars']);
  public static readonly JOB_IF = new ExpressionSite('if', ['github', 'needs', 'inputs', 'vars'], true);
  public static readonly JOB_ENV = new ExpressionSite('env', ['github', 'needs', 'strategy', 'matrix', 'secrets', 'inputs', 'vars']);
  public static readonly JOB_OUTPUTS = new ExpressionSite('outputs', ['github', 'needs', 'strategy', 'matrix', 'job', 'runner', 'env', 'vars', 'secrets', 'steps', 'inputs']);
  public static readonly STEP_IF = new ExpressionSite('if', ['github', 'needs', 'strategy', 'matrix', 'job', 'runner', 'env', 'vars', 'steps', 'inputs'], true);
  public static readonly STEP = new ExpressionSite('step', ['github', 'needs', 'strategy', 'matrix', 'job', 'runner', 'env', 'vars', 'secrets', 'steps', 'inputs']);

  /** The contexts available here; Forgejo's `forge` and `forgejo` are available wherever `github` is. */
  public readonly contexts: readonly string[];

  private constructor(
    public readonly key: string,
    contexts: string[],
    /** Whether a value without `${{ }}` is an expression all the same, as `if:` values are. */
    public readonly implicit = false,
  ) {
    this.contexts = contexts.includes('github') ? [...contexts, 'forge', 'forgejo'] : contexts;
  }
}

const LITERALS = ['true', 'false', 'null'];

/**
 * Problems with the `${{ }}` expressions in `text`: unbalanced delimiters, and contexts not
 * available at `site`. Each problem is a phrase that completes "the value ...".
 */
export function expressionProblems(text: string, site: ExpressionSite): string[] {
  const problems: string[] = [];
  let rest = site.implicit && !text.includes('${{') ? `\${{ ${text} }}` : text;
  for (;;) {
    const open = rest.indexOf('${{');
    const strayClose = rest.indexOf('}}');
    if (open < 0) {
      if (strayClose >= 0) problems.push("closes '}}' without an opening '${{'");
      return problems;
    }
    if (strayClose >= 0 && strayClose < open) problems.push("closes '}}' without an opening '${{'");
    const close = rest.indexOf('}}', open + 3);
    const nextOpen = rest.indexOf('${{', open + 3);
    if (close < 0 || (nextOpen >= 0 && nextOpen < close)) {
      problems.push(`opens '\${{' at '${rest.slice(open, open + 20)}' without closing '}}'`);
      return problems;
    }
    const expression = rest.slice(open + 3, close);
    for (const context of contextsOf(expression)) {
      if (!site.contexts.includes(context)) {
        problems.push(`uses context '${context}', which is not available in '${site.key}' (available: ${site.contexts.join(', ')})`);
      }
    }
    rest = rest.slice(close + 2);
  }
}

/** The context names an expression reads: identifiers that start a property chain and are not calls. */
function contextsOf(expression: string): string[] {
  const withoutStrings = expression.replace(/'(?:[^']|'')*'/g, "''");
  const names = new Set<string>();
  for (const match of withoutStrings.matchAll(/(^|[^.\w-])([A-Za-z_][\w-]*)(\s*\()?/g)) {
    const [, , name, call] = match;
    if (!call && !LITERALS.includes(name)) names.add(name);
  }
  return [...names];
}
