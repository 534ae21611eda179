import { SCENARIOS, describeDemo, runAnalysisDemo } from '../../../cli/demo/analysis-demo';
import { fleet } from '../../fixtures/fleet';
import { tempRepo } from '../../helpers';

// A real Prometheus (Debian's package; .ci/run installs it) scrapes real HTTP pods on loopback.
// The demo starts every process on a free port and stops it in `finally`, within its own deadline.
jest.setTimeout(120_000);

describe('runAnalysisDemo', () => {
  test('GIVEN a healthy, a failing and an idle canary WHEN checked against a live Prometheus THEN each verdict is the template\'s, and the idle one pauses', async () => {
    const results = await runAnalysisDemo({ fleet, root: tempRepo(), timeoutMs: 90_000 });
    expect(results.map(r => [r.scenario, r.expected, r.verdict])).toEqual([
      ['healthy canary', 'Successful', 'Successful'],
      ['canary at 20% errors', 'Failed', 'Failed'],
      // Too little data is Inconclusive, which pauses the Rollout: never an abort of a canary nobody called.
      ['canary with no traffic', 'Inconclusive', 'Inconclusive'],
    ]);
    // 20% errors against a stable version without any: the comparison's score is far past its bound, measured, not assumed.
    const [, score, bound] = /error-rate-vs-stable: Failed \(([0-9.]+)\); condition <= ([0-9.]+)/.exec(results[1].lines[0])!;
    expect(Number(score)).toBeGreaterThan(3 * Number(bound));
    expect(results[0].lines[0]).toMatch(/error-rate-vs-stable: Successful \(-?[0-9.]+\)/);
    expect(results[2].lines[0]).toContain('error-rate-vs-stable: Inconclusive (NaN)');
    expect(results[2].reason).toBe("the template's no-data policy (error-rate-vs-stable NaN: Inconclusive, latency-p99 NaN: Inconclusive)");
    expect(describeDemo(results)).toContain('| canary at 20% errors | Failed: 20% errors against a stable version without any | Failed ✓ |');
    expect(SCENARIOS).toHaveLength(3);
  });
});
