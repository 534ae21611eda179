import * as fs from 'fs';
import { Document, DocumentTree, ReviewInput, Severity, diffDocuments, reviewChanges } from '../../../delivery/review';
import { VerdictRecords } from '../../../delivery/verdicts';
import { Threshold } from '../../../lib/analysis';
import { tempRepo } from '../../helpers';

const rollout = (spec: object): Document => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'api' }, spec });
const template = (metrics: object[], spec: object = {}): Document => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisTemplate', metadata: { name: 'api-canary' }, spec: { metrics, ...spec } });
const metric = (extra: object = {}) => ({ name: 'success-rate', count: 5, failureLimit: 0, successCondition: Threshold.atLeast(0.99).successCondition(), ...extra });
const steps = (...list: object[]) => ({ progressDeadlineAbort: true, strategy: { canary: { steps: list } } });
const analysis = { analysis: { templates: [{ templateName: 'api-canary' }] } };

/** A review of one file changing from `before` to `after`, fleet.ts changed too. */
function review(file: string, before: Document[], after: Document[], extra: Partial<ReviewInput> = {}) {
  return reviewChanges({
    before: new Map([[file, before]]), after: new Map([[file, after]]), pinsBefore: {}, pinsAfter: {},
    environments: ['staging', 'production'], changedPaths: ['fleet.ts'], ...extra,
  });
}
const rules = (r: ReturnType<typeof review>) => r.flags.map(f => `${f.severity.name} ${f.rule}`);

describe('reviewChanges', () => {
  test.each<[string, Document, Document, string[], string[]]>([
    ['an analysis step removed', rollout(steps({ setWeight: 10 }, analysis, { setWeight: 50 }, analysis)), rollout(steps({ setWeight: 10 }, analysis, { setWeight: 50 })),
      ['analysis removed from steps[3]'], ['high analysis-removed']],
    ['a bigger weight jump', rollout(steps({ setWeight: 10 }, analysis, { setWeight: 50 }, analysis)), rollout(steps({ setWeight: 50 }, analysis)),
      ['analysis removed from steps[3]', 'weights 10, 50 → 50'], ['high analysis-removed', 'medium weights-jumped']],
    ['dry-run added to a step', rollout(steps({ setWeight: 10 }, analysis)), rollout(steps({ setWeight: 10 }, { analysis: { ...analysis.analysis, dryRun: [{ metricName: '.' }] } })),
      ['dry-run added to analysis'], ['high dry-run-added']],
    ['progressDeadlineAbort turned off', rollout(steps({ setWeight: 10 }, analysis)), rollout({ ...steps({ setWeight: 10 }, analysis), progressDeadlineAbort: false }),
      ['progressDeadlineAbort turned off'], ['high progress-deadline-abort-off']],
    ['a stricter threshold', template([metric()]), template([metric({ successCondition: Threshold.atLeast(0.999).successCondition() })]),
      ['success-rate threshold 0.99 → 0.999 (stricter)'], []],
    ['a looser latency bound', template([metric({ successCondition: Threshold.atMost(0.5).successCondition() })]), template([metric({ successCondition: Threshold.atMost(2).successCondition() })]),
      ['success-rate threshold 0.5 → 2 (looser)'], ['high threshold-loosened']],
    ['a raised failure limit and a lower count', template([metric()]), template([metric({ failureLimit: 2, count: 3 })]),
      ['success-rate failureLimit 0 → 2', 'success-rate count 5 → 3'], ['high failure-limit-raised', 'medium count-lowered']],
    ['a metric removed and dry-run added', template([metric(), metric({ name: 'latency' })]), template([metric()], { dryRun: [{ metricName: '^success-rate$' }] }),
      ['metric latency removed', 'dry-run added'], ['high dry-run-added', 'high metric-removed']],
    ['hand-written conditions', template([metric()]), template([metric({ successCondition: 'len(result) > 1' })]),
      ['success-rate conditions changed'], ['medium conditions-changed']],
  ])('GIVEN %s WHEN reviewed THEN the lines and flags say so', (_, before, after, lines, flags) => {
    const result = review('dist/staging/api/x.yaml', [before], [after]);
    expect(result.summary).toEqual(lines.map(l => `staging/api: ${l}`));
    expect(rules(result)).toEqual(flags);
  });

  test('GIVEN opt-out annotations added or their reasons changed WHEN reviewed THEN each is a line and a flag, and an unchanged one is not', () => {
    const annotated = (document: Document, annotations: Record<string, string>): Document => ({ ...document, metadata: { name: 'api', annotations } });
    const base = rollout(steps({ setWeight: 10 }, analysis));
    const result = review('dist/staging/api/x.yaml', [annotated(base, { 'infra-delivery.io/accept-unmeasured': 'quiet service' })], [annotated(base, {
      'infra-delivery.io/accept-unmeasured': 'quiet service',
      'infra-delivery.io/accepted-rules': JSON.stringify({ 'pass/job-without-deadline': 'exit 0 cannot hang' }),
    })]);
    expect(result.summary).toEqual(['staging/api: opts out of accepted-rules pass/job-without-deadline: exit 0 cannot hang']);
    expect(result.flags.filter(f => f.rule === 'opt-out-added')).toEqual([{
      severity: Severity.MEDIUM, rule: 'opt-out-added', where: 'staging/api: Rollout/api', detail: 'opts out of accepted-rules pass/job-without-deadline: exit 0 cannot hang',
    }]);
    const changed = review('dist/staging/api/x.yaml', [annotated(base, { 'infra-delivery.io/accept-unmeasured': 'quiet service' })], [annotated(base, { 'infra-delivery.io/accept-unmeasured': 'it is fine' })]);
    expect(changed.summary).toContain('staging/api: opts out of accept-unmeasured (reason changed): it is fine');
    const added = review('dist/staging/api/t.yaml', [], [{ ...template([metric()]), metadata: { name: 'api-canary', annotations: { 'infra-delivery.io/reviewed-conditions': '{"success-rate":"both zones"}' } } }]);
    expect(added.summary).toEqual(['staging/api: opts out of reviewed-conditions success-rate: both zones', 'staging/api: AnalysisTemplate/api-canary added']);
    expect(rules(added)).toContain('medium opt-out-added');
  });

  describe('notSecret, the opt-out of a config key named like a secret', () => {
    /** The ConfigMap a CanaryService writes: named by a hash of its data, its notSecret reasons in an annotation. */
    const configMap = (hash: string, data: Record<string, string>, notSecret?: Record<string, string>): [string, Document[]] => [`dist/staging/api/configmap-api-config-${hash}.yaml`, [{
      apiVersion: 'v1', kind: 'ConfigMap', immutable: true, data,
      metadata: { name: `api-config-${hash}`, ...notSecret && { annotations: { 'infra-delivery.io/not-secret': JSON.stringify(notSecret) } } },
    }]];
    const reviewOf = (before: [string, Document[]][], after: [string, Document[]][]) => reviewChanges({
      before: new Map([['dist/staging/api/rollout-api.yaml', [rollout({})]], ...before]), after: new Map([['dist/staging/api/rollout-api.yaml', [rollout({})]], ...after]),
      pinsBefore: {}, pinsAfter: {}, environments: ['staging', 'production'], changedPaths: ['fleet.ts'],
    });
    const optOuts = (r: ReturnType<typeof reviewOf>) => r.flags.filter(f => f.rule === 'opt-out-added');
    const ISSUER = { TOKEN_ISSUER_URL: 'https://auth.example.com/' };

    test('GIVEN a config key named like a secret let through with its reason WHEN reviewed THEN the key and its reason are a line and a medium opt-out flag', () => {
      // GIVEN the same ConfigMap data, now with TOKEN_ISSUER_URL's notSecret reason (the name stays: the hash is of the data)
      const result = reviewOf([configMap('1a', ISSUER)], [configMap('1a', ISSUER, { TOKEN_ISSUER_URL: 'the issuer url, public' })]);
      // THEN one line and one flag name the key and the reason, and the annotation is not repeated as a field change
      expect(result.summary).toEqual(['staging/api: opts out of not-secret TOKEN_ISSUER_URL: the issuer url, public']);
      expect(optOuts(result)).toEqual([{
        severity: Severity.MEDIUM, rule: 'opt-out-added', where: 'staging/api: ConfigMap/api-config-1a', detail: 'opts out of not-secret TOKEN_ISSUER_URL: the issuer url, public',
      }]);
    });

    test('GIVEN a config value changed, which renames the ConfigMap, and one notSecret reason changed WHEN reviewed THEN only the changed reason is flagged', () => {
      // GIVEN two keys let through; a value changes, and with it the ConfigMap's name; one reason changes
      const keys = { ...ISSUER, JWKS_TOKEN_URL: 'https://auth.example.com/jwks' };
      const result = reviewOf(
        [configMap('1a', keys, { JWKS_TOKEN_URL: 'public keys', TOKEN_ISSUER_URL: 'the issuer url, public' })],
        [configMap('2b', { ...keys, TOKEN_ISSUER_URL: 'https://auth2.example.com/' }, { JWKS_TOKEN_URL: 'public keys', TOKEN_ISSUER_URL: 'the new issuer url, public' })],
      );
      // THEN the unchanged key is not flagged again under the new name; the changed reason is
      expect(result.summary).toEqual([
        'staging/api: ConfigMap/api-config-1a removed',
        'staging/api: opts out of not-secret TOKEN_ISSUER_URL (reason changed): the new issuer url, public',
        'staging/api: ConfigMap/api-config-2b added',
      ]);
      expect(optOuts(result).map(f => f.detail)).toEqual(['opts out of not-secret TOKEN_ISSUER_URL (reason changed): the new issuer url, public']);
      // AND a value change alone raises no opt-out flag
      expect(optOuts(reviewOf([configMap('1a', ISSUER, { TOKEN_ISSUER_URL: 'public' })], [configMap('3c', { TOKEN_ISSUER_URL: 'https://x.example.com/' }, { TOKEN_ISSUER_URL: 'public' })]))).toEqual([]);
    });

    test('GIVEN a new service whose ConfigMap lets a key through WHEN reviewed THEN the service is one line and its opt-out is flagged', () => {
      const result = reviewChanges({
        before: new Map(), after: new Map([['dist/staging/api/rollout-api.yaml', [rollout({})]], configMap('1a', ISSUER, { TOKEN_ISSUER_URL: 'the issuer url, public' })]),
        pinsBefore: {}, pinsAfter: {}, environments: ['staging', 'production'], changedPaths: ['fleet.ts'],
      });
      expect(result.summary).toEqual(['staging/api: opts out of not-secret TOKEN_ISSUER_URL: the issuer url, public', 'new service api in staging: 2 objects']);
      expect(rules(result)).toEqual(['medium opt-out-added']);
    });
  });

  test('GIVEN workflow permissions raised WHEN reviewed THEN each wider scope is flagged, and narrower ones are not', () => {
    const before = { name: 'ci', permissions: { contents: 'read' }, jobs: { build: { permissions: { packages: 'write' } } } };
    const after = { name: 'ci', permissions: { 'contents': 'write', 'pull-requests': 'write' }, jobs: { build: { permissions: { packages: 'read' } } } };
    const result = review('dist/ci/api/ci.yaml', [before], [after]);
    expect(result.summary).toEqual(['dist/ci/api/ci.yaml: permissions.contents read → write', 'dist/ci/api/ci.yaml: permissions.pull-requests (none) → write']);
    expect(rules(result)).toEqual(['high permissions-widened', 'high permissions-widened']);
  });

  test('GIVEN four services changing in production at once WHEN reviewed THEN the blast radius is flagged', () => {
    const tree = (replicas: number): DocumentTree => new Map(['a', 'b', 'c', 'd'].map(s => [`dist/production/${s}/rollout.yaml`, [rollout({ replicas })]]));
    const result = reviewChanges({ before: tree(2), after: tree(3), pinsBefore: {}, pinsAfter: {}, environments: ['staging', 'production'], changedPaths: ['fleet.ts'] });
    expect(result.flags.map(f => [f.severity, f.rule, f.detail])).toEqual([
      [Severity.MEDIUM, 'many-services', 'changes 4 services at once'],
      [Severity.MEDIUM, 'production', 'changes a, b, c, d in production'],
    ]);
  });

  test('GIVEN a digest promoted from staging WHEN reviewed THEN it is not flagged, and one from nowhere is', () => {
    const image = (d: string) => `ghcr.io/acme/api@sha256:${d.repeat(64)}`;
    const result = reviewChanges({
      before: new Map(), after: new Map(), environments: ['staging', 'production'], changedPaths: ['releases/production.json'],
      pinsBefore: { staging: { api: image('a'), web: image('c') }, production: { api: image('b'), web: image('b') } },
      pinsAfter: { staging: { api: image('a'), web: image('c') }, production: { api: image('a'), web: image('d') } },
    });
    expect(result.summary).toEqual([`production/api: image ${image('b')} → ${image('a')}`, `production/web: image ${image('b')} → ${image('d')}`]);
    expect(result.flags.map(f => `${f.rule} ${f.where}`)).toEqual(['digest-not-in-previous-environment production/web']);
  });
});

describe('reviewChanges with verdicts', () => {
  test('GIVEN promotions of a verified, an unverified and a quarantined digest WHEN reviewed THEN the last two are high-severity flags naming why', () => {
    const image = (d: string) => `ghcr.io/acme/api@sha256:${d.repeat(64)}`;
    const root = tempRepo({ withDist: false });
    const verdict = (d: string, outcome: string, runs: object[]) => ({ image: image(d), verdict: outcome === 'verified' ? 'completed' : 'aborted', at: '2026-12-03T09:00:00Z', outcome, analysisRuns: runs });
    fs.writeFileSync(`${root}/releases/staging.verdicts.json`, JSON.stringify({
      api: [verdict('a', 'verified', [{ name: 'api-1', phase: 'Successful' }]), verdict('e', 'quarantined', [{ name: 'api-2', phase: 'Failed' }])],
    }));
    const verdictsAfter = { staging: VerdictRecords.load(root, 'staging'), production: VerdictRecords.load(root, 'production') };
    const flags = (api: string) => reviewChanges({
      before: new Map(), after: new Map(), environments: ['staging', 'production'], changedPaths: ['releases/production.json'], verdictsAfter,
      pinsBefore: { staging: { api: image(api) }, production: { api: image('b') } },
      pinsAfter: { staging: { api: image(api) }, production: { api: image(api) } },
    }).flags.map(f => `${f.severity.name} ${f.rule} ${f.where}: ${f.detail}`);
    expect(flags('a')).toEqual([]);
    expect(flags('c')).toEqual([`high promotion-unverified production/api: sha256:${'c'.repeat(64)} was not verified in staging (no verdict there)`]);
    expect(flags('e')).toEqual([
      `high digest-quarantined production/api: sha256:${'e'.repeat(64)} is quarantined: AnalysisRun api-2 failed it in staging`,
      `high promotion-unverified production/api: sha256:${'e'.repeat(64)} was not verified in staging (its verdict there is quarantined)`,
    ]);
  });

  test('GIVEN the first environment\'s pin going back to a quarantined digest WHEN reviewed THEN it is a high-severity flag, though no environment comes before', () => {
    // GIVEN sha256:eee… quarantined in staging, and staging's pin changed back to it (a rollback past its gate)
    const image = (d: string) => `ghcr.io/acme/api@sha256:${d.repeat(64)}`;
    const root = tempRepo({ withDist: false });
    fs.writeFileSync(`${root}/releases/staging.verdicts.json`, JSON.stringify({
      api: [{ image: image('e'), verdict: 'aborted', at: '2026-12-03T09:00:00Z', outcome: 'quarantined', analysisRuns: [{ name: 'api-2', phase: 'Error' }], revertedTo: image('a') }],
    }));
    // WHEN reviewed
    const result = reviewChanges({
      before: new Map(), after: new Map(), environments: ['staging', 'production'], changedPaths: ['releases/staging.json'],
      verdictsAfter: { staging: VerdictRecords.load(root, 'staging'), production: VerdictRecords.load(root, 'production') },
      pinsBefore: { staging: { api: image('a') } }, pinsAfter: { staging: { api: image('e') } },
    });
    // THEN the one flag names the run that failed it
    expect(result.flags.map(f => `${f.severity.name} ${f.rule} ${f.where}: ${f.detail}`))
      .toEqual([`high digest-quarantined staging/api: sha256:${'e'.repeat(64)} is quarantined: AnalysisRun api-2 failed it in staging`]);
  });
});

describe('diffDocuments', () => {
  test('GIVEN documents added, removed, changed and unchanged WHEN diffed THEN each is named by file and Kind/name, unchanged ones left out', () => {
    const cm = (name: string, data: object) => ({ kind: 'ConfigMap', metadata: { name }, data });
    const changes = diffDocuments(
      new Map([['dist/a.yaml', [cm('same', {}), cm('gone', {}), cm('edited', { a: 1 })]]]),
      new Map([['dist/a.yaml', [cm('same', {}), cm('edited', { a: 2 }), cm('new', {})]]]),
    );
    expect(changes.map(c => `${c.id} ${c.change}`)).toEqual(['ConfigMap/edited changed', 'ConfigMap/gone removed', 'ConfigMap/new added']);
  });
});
