import * as YAML from 'yaml';
import { Layout } from '../../model/layout';
import { DocumentChange, Review, Severity } from './review';

/** The trailer that approves a high-severity flag in a pull request's commits: `review-approved: <rule>`. */
export const APPROVAL_TRAILER = 'review-approved';

/** The high-severity rules `approved` (from commit trailers) leaves unapproved. */
export function unapprovedRules(review: Review, approved: readonly string[]): string[] {
  return [...new Set(review.flags.filter(f => f.severity === Severity.HIGH && !approved.includes(f.rule)).map(f => f.rule))].sort();
}

/** Lines of context around each changed line of a diff, as `git diff` shows them. */
const CONTEXT = 3;

/**
 * The review as Markdown: the summary, the flags, then each changed object's YAML diff folded to its
 * changed hunks; a service that appears or leaves whole is one folded list of its objects.
 */
export function reviewMarkdown(review: Review, base: string): string {
  const lines = [`# Review against ${base}`, ''];
  if (review.changes.length === 0 && review.summary.length === 0 && review.flags.length === 0) return [...lines, 'Nothing changes in any cluster.', ''].join('\n');
  lines.push('## What changes', '', ...review.summary.map(line => `- ${line}`), '');
  lines.push('## Risk flags', '');
  if (review.flags.length === 0) {lines.push('None.');} else {
    lines.push('| severity | rule | where | what |', '|---|---|---|---|');
    lines.push(...review.flags.map(f => `| ${f.severity.name} | \`${f.rule}\` | ${f.where} | ${f.detail.replace(/\|/g, '\\|')} |`));
    if (review.flags.some(f => f.severity === Severity.HIGH)) lines.push('', `A high-severity flag needs a \`${APPROVAL_TRAILER}: <rule>\` trailer in a commit of the pull request.`);
  }
  if (review.changes.length > 0) lines.push('', '## Diffs', '');
  const whole = new Set(review.services.map(s => `${s.environment}/${s.service}`));
  for (const service of review.services) {
    const title = `${Layout.service(service.environment, service.service)}: ${service.objects.length} objects ${service.change}`;
    lines.push(`<details><summary>${title}</summary>`, '', ...service.objects.map(o => `- ${o}`), '', '</details>', '');
  }
  for (const change of review.changes) {
    const place = Layout.place(change.file);
    if (place?.kind === 'service' && whole.has(`${place.environment}/${place.service}`)) continue;
    lines.push(`<details><summary>${change.file}: ${change.id} ${change.change}</summary>`, '', '```diff', ...diffHunks(change), '```', '', '</details>', '');
  }
  return lines.join('\n');
}

/** The review as JSON for tools: every change, line and flag. */
export function reviewJson(review: Review, base: string): string {
  return `${JSON.stringify({
    base,
    summary: review.summary,
    flags: review.flags.map(f => ({ ...f, severity: f.severity.name })),
    changes: review.changes.map(c => ({ file: c.file, id: c.id, change: c.change })),
  }, null, 2)}\n`;
}

/** The changed hunks of the document's YAML, each with {@link CONTEXT} lines around it and a `@@` header. */
function diffHunks(change: DocumentChange): string[] {
  const all = diffLines(change);
  const keep = all.map((_, i) => all.slice(Math.max(0, i - CONTEXT), i + CONTEXT + 1).some(l => !l.startsWith('  ')));
  const out: string[] = [];
  let [oldLine, newLine] = [1, 1];
  all.forEach((line, i) => {
    if (keep[i] && !keep[i - 1]) out.push(`@@ -${oldLine} +${newLine} @@`);
    if (keep[i]) out.push(line);
    if (!line.startsWith('+')) oldLine += 1;
    if (!line.startsWith('-')) newLine += 1;
  });
  return out;
}

/** A line diff of the document's YAML before and after (longest common subsequence). */
function diffLines(change: DocumentChange): string[] {
  const yaml = (d: unknown) => (d === undefined ? [] : YAML.stringify(d, { lineWidth: 0 }).trimEnd().split('\n'));
  const [a, b] = [yaml(change.before), yaml(change.after)];
  const common: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) common[i][j] = a[i] === b[j] ? common[i + 1][j + 1] + 1 : Math.max(common[i + 1][j], common[i][j + 1]);
  }
  const out: string[] = [];
  let [i, j] = [0, 0];
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push(`  ${a[i]}`);
      i += 1;
      j += 1;
    } else if (i < a.length && (j === b.length || common[i + 1][j] >= common[i][j + 1])) {
      out.push(`- ${a[i++]}`);
    } else {
      out.push(`+ ${b[j++]}`);
    }
  }
  return out;
}
