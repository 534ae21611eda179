import { parser } from '@prometheus-io/lezer-promql';
import { parseDurationSeconds } from '../private/durations';

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

/**
 * The longest range a PromQL query reads, in seconds: of its range selectors (`x[1m]`), subqueries
 * (`x[10m:1m]`) and offsets (`x offset 1m`, which a window count subtracts from now), as the
 * Prometheus grammar parses them; 0 when it has none.
 */
export function longestRangeSeconds(query: string): number {
  const text = query.replace(ARG_REFERENCE, '1');
  let longest = 0;
  parser.parse(text).iterate({
    enter: node => {
      if (node.name === 'MatrixSelector' || node.name === 'SubqueryExpr') {
        const range = node.node.getChild('DurationExpr');
        if (range) longest = Math.max(longest, parseDurationSeconds(text.slice(range.from, range.to)));
      }
      if (node.name === 'OffsetDurationExpr') longest = Math.max(longest, parseDurationSeconds(text.slice(node.from, node.to)));
    },
  });
  return longest;
}
