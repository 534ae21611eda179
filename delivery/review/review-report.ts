import * as YAML from 'yaml';
import { DocumentChange, Review, Severity } from './review';

/** Where `npm run review` writes, beside the plan's report. */
export const REVIEW_FOLDER = 'reports/review';

/** The trailer that approves a high-severity flag in a pull request's commits: `review-approved: <rule>`. */
export const APPROVAL_TRAILER = 'review-approved';

/** The high-severity rules `approved` (from commit trailers) leaves unapproved. */
export function unapprovedRules(review: Review, approved: readonly string[]): string[] {
  return [...new Set(review.flags.filter(f => f.severity === Severity.HIGH && !approved.includes(f.rule)).map(f => f.rule))].sort();
}

/** The review as Markdown: the summary per place, the flags, then each object's YAML diff folded. */
export function reviewMarkdown(review: Review, base: string): string {
  const lines = [`# Review against ${base}`, ''];
  if (review.changes.length === 0 && review.summary.length === 0) return [...lines, 'Nothing changes in any cluster.', ''].join('\n');
  lines.push('## What changes', '', ...review.summary.map(line => `- ${line}`), '');
  lines.push('## Risk flags', '');
  if (review.flags.length === 0) {lines.push('None.');} else {
    lines.push('| severity | rule | where | what |', '|---|---|---|---|');
    lines.push(...review.flags.map(f => `| ${f.severity.name} | \`${f.rule}\` | ${f.where} | ${f.detail.replace(/\|/g, '\\|')} |`));
    lines.push('', `A high-severity flag needs a \`${APPROVAL_TRAILER}: <rule>\` trailer in a commit of the pull request.`);
  }
  lines.push('', '## Diffs', '');
  for (const change of review.changes) {
    lines.push(`<details><summary>${change.file}: ${change.id} ${change.change}</summary>`, '', '```diff', ...diffLines(change), '```', '', '</details>', '');
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
