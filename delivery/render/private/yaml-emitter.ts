/** The `yaml` library's API that the emitter needs: its own `stringify`, the reference it must equal. */
export interface YamlLibrary {
  stringify(value: unknown, options: object): string;
}

/**
 * Builds an emitter of the YAML the `yaml` library writes with `options`, for plain data (maps,
 * lists, strings, numbers, booleans, null): byte for byte the same, several times faster. Strings
 * are where the two could differ, so each distinct single-line string is rendered once by `yaml`
 * itself and cached; a document with a string that spans lines, or that could read as a document
 * marker (`%`, `---`, `...`), a long key or anything but plain data goes to `yaml` whole.
 *
 * It is one self-contained function so that a worker thread can evaluate its source
 * (`createYamlEmitter.toString()`) without loading TypeScript.
 */
export function createYamlEmitter(yaml: YamlLibrary, options: object): (document: unknown) => string {
  /** Thrown inside the emitter for a document it leaves to `yaml`. */
  class Fallback extends Error {}
  const scalars = new Map<string, string>();
  // yaml writes a key longer than this as an explicit `? key` (stringify/stringifyPair.js).
  const MAX_IMPLICIT_KEY = 1024;

  const string = (value: string): string => {
    let rendered = scalars.get(value);
    if (rendered === undefined) {
      if (value.includes('\n') || value.includes('\r') || /^(%|---|\.\.\.)/.test(value)) throw new Fallback();
      rendered = yaml.stringify(value, options).slice(0, -1);
      scalars.set(value, rendered);
    }
    return rendered;
  };

  const scalar = (value: unknown): string => {
    if (typeof value === 'string') return string(value);
    if (value === null) return 'null';
    if (value === true) return 'true';
    if (value === false) return 'false';
    if (typeof value === 'number') {
      if (Number.isNaN(value)) return '.nan';
      if (!Number.isFinite(value)) return value < 0 ? '-.inf' : '.inf';
      return Object.is(value, -0) ? '-0' : JSON.stringify(value);
    }
    throw new Fallback();
  };

  const isPlainObject = (value: unknown): value is Record<string, unknown> =>
    typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;

  /** Whether a value is written as lines of its own: a map with an entry, or a list with an item; else it is inline. */
  const isBlock = (value: unknown): boolean =>
    (isPlainObject(value) && Object.keys(value).some(k => value[k] !== undefined)) || (Array.isArray(value) && value.length > 0);

  /** Lines of a map or list at `indent`; the caller places the first one. */
  const block = (value: unknown, indent: string, out: string[]): void => {
    if (Array.isArray(value)) {
      for (const item of value) {
        // yaml writes an undefined list item as null.
        const entry = item === undefined ? null : item;
        if (isBlock(entry)) {
          // The item's first line goes beside its dash.
          const lines: string[] = [];
          block(entry, `${indent}  `, lines);
          out.push(`${indent}- ${lines[0].slice(indent.length + 2)}`, ...lines.slice(1));
        } else {
          out.push(`${indent}- ${inline(entry)}`);
        }
      }
      return;
    }
    if (!isPlainObject(value)) throw new Fallback();
    for (const key of Object.keys(value)) {
      const item = value[key];
      if (item === undefined) continue;
      if (key.length > MAX_IMPLICIT_KEY) throw new Fallback();
      const name = string(key);
      if (isBlock(item)) {
        out.push(`${indent}${name}:`);
        // A list under a key is indented like a map (yaml's indentSeq).
        block(item, `${indent}  `, out);
      } else {
        out.push(`${indent}${name}: ${inline(item)}`);
      }
    }
  };

  /** A scalar, or an empty map or list, on the line it belongs to. */
  const inline = (value: unknown): string => {
    if (Array.isArray(value)) return '[]';
    if (isPlainObject(value)) return '{}';
    return scalar(value);
  };

  return (document: unknown): string => {
    try {
      if (isBlock(document)) {
        const lines: string[] = [];
        block(document, '', lines);
        return `${lines.join('\n')}\n`;
      }
      return `${inline(document)}\n`;
    } catch (e) {
      if (e instanceof Fallback) return yaml.stringify(document, options);
      throw e;
    }
  };
}
