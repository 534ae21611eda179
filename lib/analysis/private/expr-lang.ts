/**
 * A syntax check of the expr-lang expressions Argo Rollouts evaluates as metric conditions
 * (utils/evaluate/evaluate.go, EvalCondition), so that a typo is refused at synth instead of
 * erroring every measurement in the cluster. It parses the language's grammar (literals, member and
 * index access, calls, closures with `#`, unary, binary and ternary operators, arrays and maps;
 * github.com/expr-lang/expr, parser/parser.go) and checks that every free name is one the
 * controller defines or an expr-lang builtin. It does not type-check.
 */

/** The names the controller puts in the condition's environment (EvalCondition). */
const CONTROLLER_NAMES = ['result', 'asInt', 'asFloat', 'isNaN', 'isInf', 'isNil', 'default'];

/** expr-lang's builtin functions and constants (expr-lang/expr, builtin/builtin.go). */
const BUILTINS = [
  'true', 'false', 'nil', 'len', 'all', 'any', 'none', 'one', 'filter', 'map', 'find', 'findIndex', 'findLast', 'findLastIndex',
  'count', 'sum', 'groupBy', 'sortBy', 'reduce', 'abs', 'ceil', 'floor', 'round', 'int', 'float', 'string', 'max', 'min', 'mean',
  'median', 'first', 'last', 'get', 'trim', 'trimPrefix', 'trimSuffix', 'upper', 'lower', 'split', 'splitAfter', 'replace',
  'repeat', 'indexOf', 'lastIndexOf', 'hasPrefix', 'hasSuffix', 'now', 'duration', 'date', 'timezone', 'toJSON', 'fromJSON',
  'toBase64', 'fromBase64', 'keys', 'values', 'toPairs', 'fromPairs', 'join', 'sort', 'flatten', 'uniq', 'concat', 'type',
  'bitand', 'bitor', 'bitxor', 'bitnand', 'bitnot', 'bitshl', 'bitshr', 'bitushr', 'let',
];

const WORD_OPERATORS = ['and', 'or', 'not', 'in', 'matches', 'contains', 'startsWith', 'endsWith'];
const BINARY = [
  ['??'], ['||', 'or'], ['&&', 'and'], ['==', '!=', '<', '>', '<=', '>=', 'in', 'matches', 'contains', 'startsWith', 'endsWith'],
  ['..'], ['+', '-'], ['*', '/', '%'], ['**', '^'],
];
const TOKEN = /\s*(?:(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`)|([A-Za-z_$][\w$]*)|(\?\?|\?\.|\.\.|\*\*|==|!=|<=|>=|&&|\|\||[-+*/%^!<>?:.,()[\]{}#|=;]))/y;

type Token = { kind: 'number' | 'string' | 'name' | 'op'; text: string };

/** Why `expression` is not an expr-lang condition the controller can evaluate, or undefined when it is. */
export function exprLangProblem(expression: string): string | undefined {
  try {
    new Parser(tokenize(expression)).parseAll();
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < expression.length) {
    const rest = expression.slice(TOKEN.lastIndex);
    if (/^\s*$/.test(rest)) break;
    const at = TOKEN.lastIndex + rest.length - rest.trimStart().length;
    const match = TOKEN.exec(expression);
    if (!match) throw new Error(`unexpected '${expression[at]}' at character ${at + 1}`);
    const [, number, string, name, op] = match;
    if (number !== undefined) tokens.push({ kind: 'number', text: number });
    else if (string !== undefined) tokens.push({ kind: 'string', text: string });
    else if (name !== undefined) tokens.push({ kind: WORD_OPERATORS.includes(name) ? 'op' : 'name', text: name });
    else tokens.push({ kind: 'op', text: op });
  }
  return tokens;
}

class Parser {
  private at = 0;
  /** Names bound by `let` and by map keys, which are not free. */
  private readonly bound = new Set<string>();

  constructor(private readonly tokens: Token[]) {}

  public parseAll(): void {
    if (this.tokens.length === 0) throw new Error('is empty');
    this.expression();
    if (this.peek()) throw new Error(`unexpected '${this.peek()!.text}' after the end of the expression`);
  }

  private expression(): void {
    this.binary(0);
    if (this.accept('?')) {
      this.expression();
      this.expect(':');
      this.expression();
    }
  }

  private binary(level: number): void {
    if (level === BINARY.length) return this.unary();
    this.binary(level + 1);
    for (;;) {
      const token = this.peek();
      if (token?.kind === 'op' && BINARY[level].includes(token.text)) this.at += 1;
      // `not in`, `not matches` and the like negate the comparison that follows.
      else if (token?.text === 'not' && BINARY[level].includes(this.tokens[this.at + 1]?.text ?? '')) this.at += 2;
      else return;
      this.binary(level + 1);
    }
  }

  private unary(): void {
    if (this.accept('!') || this.accept('not') || this.accept('-') || this.accept('+')) return this.unary();
    this.postfix();
  }

  private postfix(): void {
    this.primary();
    for (;;) {
      if (this.accept('.') || this.accept('?.')) {
        if (this.next().kind !== 'name') throw new Error('expects a field name after \'.\'');
      } else if (this.accept('[')) {
        // An index `[i]` or a slice `[i:j]`, either end of a slice optional.
        if (this.peek()?.text !== ':') this.expression();
        if (this.accept(':') && this.peek()?.text !== ']') this.expression();
        this.expect(']');
      } else if (this.accept('|')) {
        this.call(this.name());
      } else {
        return;
      }
    }
  }

  private primary(): void {
    const token = this.next();
    if (token.kind === 'number' || token.kind === 'string' || token.text === '#') return;
    if (token.text === '(') {
      this.expression();
      this.expect(')');
      return;
    }
    if (token.text === '[') return this.list(']', () => this.expression());
    if (token.text === '{') return this.list('}', () => this.mapEntry());
    if (token.kind === 'name') {
      if (token.text === 'let') return this.letExpression();
      if (this.peek()?.text === '(') return this.call(token.text);
      return this.checkName(token.text);
    }
    throw new Error(`unexpected '${token.text}'`);
  }

  private call(name: string): void {
    this.checkName(name);
    this.expect('(');
    this.list(')', () => (this.accept('{') ? this.closure() : this.expression()));
  }

  /** A closure argument such as `{# > 0.9}`; `#` is its element. */
  private closure(): void {
    this.expression();
    this.expect('}');
  }

  private mapEntry(): void {
    const key = this.next();
    if (key.kind !== 'name' && key.kind !== 'string' && key.kind !== 'number') throw new Error(`expects a map key, not '${key.text}'`);
    this.expect(':');
    this.expression();
  }

  private letExpression(): void {
    this.bound.add(this.name());
    this.expect('=');
    this.expression();
    this.expect(';');
    this.expression();
  }

  private list(close: string, item: () => void): void {
    if (this.accept(close)) return;
    do item(); while (this.accept(',') && this.peek()?.text !== close);
    this.expect(close);
  }

  private checkName(name: string): void {
    if (!CONTROLLER_NAMES.includes(name) && !BUILTINS.includes(name) && !this.bound.has(name)) {
      throw new Error(`refers to '${name}', which neither the controller nor expr-lang defines`);
    }
  }

  private name(): string {
    const token = this.next();
    if (token.kind !== 'name') throw new Error(`expects a name, not '${token.text}'`);
    return token.text;
  }

  private peek(): Token | undefined {
    return this.tokens[this.at];
  }

  private next(): Token {
    const token = this.tokens[this.at++];
    if (!token) throw new Error('ends too early');
    return token;
  }

  private accept(text: string): boolean {
    if (this.peek()?.text !== text) return false;
    this.at++;
    return true;
  }

  private expect(text: string): void {
    const token = this.peek();
    if (!this.accept(text)) throw new Error(token ? `expects '${text}', not '${token.text}'` : `expects '${text}' at the end`);
  }
}
