import { parser } from '@prometheus-io/lezer-promql';

const ARG_REFERENCE = /\{\{\s*args\.([A-Za-z0-9_.-]+)\s*\}\}/g;

/** The `{{args.NAME}}` names a query or condition refers to, in order of first use. */
export function referencedArgs(text: string): string[] {
  return [...new Set([...text.matchAll(ARG_REFERENCE)].map(m => m[1]))];
}

/**
 * Parses a PromQL query with the Prometheus project's own grammar. Argo's `{{args.NAME}}` placeholders
 * are replaced by a number first, which parses wherever Argo may substitute a value (label values,
 * range durations, scalars).
 *
 * @returns a description of the first syntax error, or undefined when the query parses
 */
export function promqlSyntaxError(query: string): string | undefined {
  // A fleet repeats the same preset queries for every service: parse each text once.
  if (!syntaxErrors.has(query)) syntaxErrors.set(query, firstSyntaxError(query));
  return syntaxErrors.get(query);
}

const syntaxErrors = new Map<string, string | undefined>();

function firstSyntaxError(query: string): string | undefined {
  const text = query.replace(ARG_REFERENCE, '1');
  if (text.trim() === '') return 'the query is empty';
  let error: string | undefined;
  parser.parse(text).iterate({
    enter: node => {
      if (error === undefined && node.type.isError) {
        const near = text.slice(Math.max(0, node.from - 10), node.from + 10).replace(/\s+/g, ' ');
        error = `syntax error at character ${node.from + 1} near '${near}'`;
      }
      return error === undefined;
    },
  });
  return error;
}
