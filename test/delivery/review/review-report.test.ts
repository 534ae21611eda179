import { Review, Severity, reviewJson, reviewMarkdown, unapprovedRules } from '../../../delivery/review';

const review: Review = {
  changes: [{ file: 'dist/staging/api/cm.yaml', id: 'ConfigMap/api', change: 'changed', before: { kind: 'ConfigMap', data: { a: '1', b: '2' } }, after: { kind: 'ConfigMap', data: { a: '1', b: '3' } } }],
  summary: ['staging/api: ConfigMap/api changed'],
  flags: [
    { severity: Severity.HIGH, rule: 'threshold-loosened', where: 'staging/api', detail: 'a | b' },
    { severity: Severity.HIGH, rule: 'prune', where: 'staging/web', detail: 'gone' },
    { severity: Severity.MEDIUM, rule: 'production', where: 'production', detail: 'x' },
  ],
};

describe('review report', () => {
  test('GIVEN a review WHEN rendered THEN the summary, the flags table and each folded diff appear in that order', () => {
    const markdown = reviewMarkdown(review, 'main');
    expect(markdown).toContain('# Review against main\n\n## What changes\n\n- staging/api: ConfigMap/api changed\n\n## Risk flags\n\n| severity | rule | where | what |');
    expect(markdown).toContain('| high | `threshold-loosened` | staging/api | a \\| b |');
    expect(markdown).toContain('<details><summary>dist/staging/api/cm.yaml: ConfigMap/api changed</summary>\n\n```diff\n  kind: ConfigMap\n  data:\n    a: "1"\n-   b: "2"\n+   b: "3"\n```');
  });

  test('GIVEN no change WHEN rendered THEN it says so', () => {
    expect(reviewMarkdown({ changes: [], summary: [], flags: [] }, 'main')).toBe('# Review against main\n\nNothing changes in any cluster.\n');
  });

  test('GIVEN trailers approving some rules WHEN checked THEN only unapproved high-severity rules remain', () => {
    expect(unapprovedRules(review, ['prune'])).toEqual(['threshold-loosened']);
    expect(unapprovedRules(review, ['prune', 'threshold-loosened'])).toEqual([]);
  });

  test('GIVEN a review WHEN written as JSON THEN severities are names and documents are left out', () => {
    const json = JSON.parse(reviewJson(review, 'main'));
    expect(json.flags[0]).toEqual({ severity: 'high', rule: 'threshold-loosened', where: 'staging/api', detail: 'a | b' });
    expect(json.changes).toEqual([{ file: 'dist/staging/api/cm.yaml', id: 'ConfigMap/api', change: 'changed' }]);
  });
});
