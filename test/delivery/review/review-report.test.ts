import { Review, Severity, reviewJson, reviewMarkdown, unapprovedRules } from '../../../delivery/review';

const review: Review = {
  changes: [{ file: 'dist/staging/api/cm.yaml', id: 'ConfigMap/api', change: 'changed', before: { kind: 'ConfigMap', data: { a: '1', b: '2' } }, after: { kind: 'ConfigMap', data: { a: '1', b: '3' } } }],
  services: [],
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
    expect(markdown).toContain('<details><summary>dist/staging/api/cm.yaml: ConfigMap/api changed</summary>\n\n```diff\n@@ -1 +1 @@\n  kind: ConfigMap\n  data:\n    a: "1"\n-   b: "2"\n+   b: "3"\n```');
  });

  test('GIVEN a one-line change in a long document WHEN rendered THEN only its hunk shows, with three lines of context and where it starts', () => {
    const data = (changed: string) => Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${String(i).padStart(2, '0')}`, i === 10 ? changed : 'v']));
    const long: Review = { ...review, changes: [{ file: 'dist/staging/api/cm.yaml', id: 'ConfigMap/api', change: 'changed', before: { data: data('old') }, after: { data: data('new') } }] };
    const diff = reviewMarkdown(long, 'main').split('```diff\n')[1].split('\n```')[0];
    expect(diff).toBe(['@@ -9 +9 @@', '  k07: v', '  k08: v', '  k09: v', '- k10: old', '+ k10: new', '  k11: v', '  k12: v', '  k13: v'].join('\n').replace(/ {2}k/g, '    k').replace(/([-+]) k/g, '$1   k'));
  });

  test('GIVEN a service that appears whole WHEN rendered THEN its objects are one folded list, not a diff each', () => {
    const added: Review = {
      changes: [{ file: 'dist/staging/cart/rollout-cart.yaml', id: 'Rollout/cart', change: 'added', after: { kind: 'Rollout' } }],
      services: [{ environment: 'staging', service: 'cart', change: 'added', objects: ['Rollout/cart'] }],
      summary: ['new service cart in staging: 1 objects'],
      flags: [],
    };
    const markdown = reviewMarkdown(added, 'main');
    expect(markdown).toContain('<details><summary>dist/staging/cart: 1 objects added</summary>\n\n- Rollout/cart\n');
    expect(markdown).not.toContain('```diff');
    expect(markdown).not.toContain('review-approved');
  });

  test('GIVEN no change WHEN rendered THEN it says so', () => {
    expect(reviewMarkdown({ changes: [], services: [], summary: [], flags: [] }, 'main')).toBe('# Review against main\n\nNothing changes in any cluster.\n');
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
