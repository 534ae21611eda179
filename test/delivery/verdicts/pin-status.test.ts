import * as fs from 'fs';
import * as path from 'path';
import { VerdictRecords, describePinStatus, pinStatus } from '../../../delivery/verdicts';
import { DIGEST, tempRepo } from '../../helpers';

const image = (d: string) => `ghcr.io/acme/api@sha256:${d.repeat(64)}`;
const NOW = new Date('2026-12-03T10:00:00Z');
const human = (ms: number) => `${ms / 60_000}m`;

function verdicts(...records: object[]): VerdictRecords {
  const root = tempRepo({ withDist: false });
  fs.writeFileSync(path.join(root, 'releases/staging.verdicts.json'), JSON.stringify({ api: records }));
  return VerdictRecords.load(root, 'staging');
}
const at = '2026-12-03T09:50:00Z';

describe('pinStatus', () => {
  test.each([
    ['no verdict', [], 'pending'],
    ['a verification within the soak', [{ image: image('a'), verdict: 'completed', at, outcome: 'verified', analysisRuns: [] }], `verified ${at}, soak 20m left`],
    ['an inconclusive canary', [{ image: image('a'), verdict: 'inconclusive', at, outcome: 'inconclusive', analysisRuns: [{ name: 'r1', phase: 'Inconclusive' }] }], `inconclusive by r1 ${at}`],
    ['a quarantine not reverted', [{ image: image('a'), verdict: 'aborted', at, outcome: 'quarantined', analysisRuns: [{ name: 'r2', phase: 'Failed' }] }], `aborted and quarantined by r2 ${at}`],
    ['an abort by hand not reverted', [{ image: image('a'), verdict: 'aborted', at, outcome: 'reverted', analysisRuns: [] }], `aborted ${at}, not quarantined`],
    ['a stale verdict only', [{ image: image('a'), verdict: 'completed', at, outcome: 'stale', analysisRuns: [] }], 'pending'],
    ['an abort of the next canary', [{ image: image('b'), verdict: 'aborted', at, outcome: 'quarantined', analysisRuns: [{ name: 'r3', phase: 'Failed' }] }],
      `pending; last canary sha256:bbbbbbbbbbbb… aborted ${at} and quarantined by r3`],
  ])('GIVEN %s WHEN described THEN it reads so', (_, records, expected) => {
    expect(describePinStatus(pinStatus(verdicts(...records), 'api', image('a'), 30 * 60_000, NOW), human)).toBe(expected);
  });

  test('GIVEN a soaked verification WHEN asked THEN no soak is left', () => {
    const status = pinStatus(verdicts({ image: image('a'), verdict: 'completed', at: '2026-12-03T09:00:00Z', outcome: 'verified', analysisRuns: [] }), 'api', image('a'), 30 * 60_000, NOW);
    expect(status).toEqual({ state: 'verified', at: '2026-12-03T09:00:00Z', soakRemainingMs: 0 });
    expect(DIGEST).toHaveLength(64);
  });
});
