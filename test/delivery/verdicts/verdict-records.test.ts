import * as fs from 'fs';
import * as path from 'path';
import { VerdictRecords, digestOf, failedAnalysis, findQuarantine } from '../../../delivery/verdicts';
import { DIGEST, tempRepo } from '../../helpers';

const IMAGE = `ghcr.io/acme/api@sha256:${DIGEST}`;
const record = { image: IMAGE, verdict: 'aborted' as const, at: '2026-12-03T09:00:00.000Z', outcome: 'quarantined' as const, analysisRuns: [{ name: 'api-2', phase: 'Failed' }] };

describe('VerdictRecords', () => {
  test('GIVEN no file WHEN loaded THEN there are none, and one appended renders sorted with a final newline', () => {
    const root = tempRepo({ withDist: false });
    const verdicts = VerdictRecords.load(root, 'staging');
    expect(verdicts.file).toBe('releases/staging.verdicts.json');
    expect(verdicts.of('api')).toEqual([]);
    const next = verdicts.with('web', { ...record, image: `ghcr.io/acme/web@sha256:${DIGEST}` }).with('api', record);
    expect(Object.keys(JSON.parse(next.render()))).toEqual(['api', 'web']);
    expect(next.render().endsWith('}\n')).toBe(true);
    expect(next.latest('api', `sha256:${DIGEST}`)).toEqual(record);
    expect(next.quarantine(`sha256:${DIGEST}`)).toMatchObject({ outcome: 'quarantined', analysisRuns: [{ name: 'api-2', phase: 'Failed' }] });
  });

  test('GIVEN a quarantine in production WHEN looked for across environments THEN it is found with its environment', () => {
    const root = tempRepo({ withDist: false });
    fs.writeFileSync(path.join(root, 'releases/production.verdicts.json'), JSON.stringify({ api: [record] }));
    expect(findQuarantine(root, ['staging', 'production'], `sha256:${DIGEST}`)).toEqual({ environment: 'production', record });
    expect(findQuarantine(root, ['staging', 'production'], `sha256:${'b'.repeat(64)}`)).toBeUndefined();
  });

  test.each([
    ['not JSON', '{', "releases/staging.verdicts.json: 'content' is"],
    ['a list', '[]', "releases/staging.verdicts.json: 'content' is []: must be an object of service name to a list of verdicts"],
    ['a verdict without a time', JSON.stringify({ api: [{ ...record, at: 'soon' }] }), "releases/staging.verdicts.json: 'api' is"],
  ])('GIVEN a file that is %s WHEN loaded THEN it fails naming the file', (_, text, message) => {
    const root = tempRepo({ withDist: false });
    fs.writeFileSync(path.join(root, 'releases/staging.verdicts.json'), text);
    expect(() => VerdictRecords.load(root, 'staging')).toThrow(message);
  });

  test('GIVEN AnalysisRuns WHEN the failed analysis is asked for THEN the first Failed or Error run and its failing metric are named', () => {
    expect(failedAnalysis([{ name: 'a', phase: 'Successful' }, { name: 'b', phase: 'Error', metrics: [{ name: 'm1', phase: 'Successful' }, { name: 'm2', phase: 'Error', value: '[]' }] }]))
      .toEqual({ run: 'b', metric: { name: 'm2', phase: 'Error', value: '[]' } });
    expect(failedAnalysis([{ name: 'a', phase: 'Inconclusive' }])).toBeUndefined();
    expect(digestOf(IMAGE)).toBe(`sha256:${DIGEST}`);
  });
});
