import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { VerdictRecords, pinHistory, stableImage } from '../../../delivery/verdicts';
import { DIGEST, OTHER_DIGEST, tempRepo } from '../../helpers';

const image = (d: string) => `ghcr.io/acme/api@sha256:${d}`;

/** A Git checkout whose staging pin of api went through `digests`, one commit each. */
function repoWithPins(...digests: string[]): string {
  const root = tempRepo({ withDist: false });
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: root, stdio: 'pipe' });
  git('init', '--quiet');
  for (const digest of digests) {
    fs.writeFileSync(path.join(root, 'releases/staging.json'), JSON.stringify({ api: image(digest) }));
    git('add', '-A');
    git('commit', '--quiet', '-m', digest.slice(0, 4));
  }
  return root;
}

describe('stableImage', () => {
  test('GIVEN a completed canary in the verdicts WHEN the stable image of an abort is asked for THEN it is that image, before any Git history', () => {
    const root = repoWithPins('c'.repeat(64), OTHER_DIGEST, DIGEST);
    fs.writeFileSync(path.join(root, 'releases/staging.verdicts.json'), JSON.stringify({
      api: [{ image: image('c'.repeat(64)), verdict: 'completed', at: '2026-12-03T08:00:00Z', outcome: 'verified', analysisRuns: [] }],
    }));
    const found = stableImage(root, 'staging', 'api', image(DIGEST), VerdictRecords.load(root, 'staging'), () => false);
    expect(found).toEqual({ image: image('c'.repeat(64)), source: 'the last completed canary in releases/staging.verdicts.json (2026-12-03T08:00:00Z)' });
  });

  test('GIVEN only Git history WHEN asked THEN the last earlier pin that is neither the aborted digest nor quarantined', () => {
    const root = repoWithPins('c'.repeat(64), OTHER_DIGEST, DIGEST);
    const verdicts = VerdictRecords.load(root, 'staging');
    expect(stableImage(root, 'staging', 'api', image(DIGEST), verdicts, () => false)?.image).toBe(image(OTHER_DIGEST));
    expect(stableImage(root, 'staging', 'api', image(DIGEST), verdicts, d => d === `sha256:${OTHER_DIGEST}`)?.image).toBe(image('c'.repeat(64)));
    expect(pinHistory(root, 'staging', 'api').map(p => p.image)).toEqual([DIGEST, OTHER_DIGEST, 'c'.repeat(64)].map(image));
  });

  test('GIVEN no Git checkout and no completed canary WHEN asked THEN none is known', () => {
    const root = tempRepo({ withDist: false });
    expect(stableImage(root, 'staging', 'api', image(DIGEST), VerdictRecords.load(root, 'staging'), () => false)).toBeUndefined();
  });
});
