/**
 * The language a service is written in. It picks the CI preset: linter, test runner and dependency cache.
 */
export class Language {
  /** Python, linted with ruff and tested with pytest. */
  public static readonly PYTHON = new Language('python');
  /** Node.js, linted with eslint and tested with jest. */
  public static readonly NODE = new Language('node');

  private constructor(
    /** The language's name as written in logs and tables. */
    public readonly name: string,
  ) {}
}
