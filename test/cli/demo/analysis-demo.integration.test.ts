import { SCENARIOS, describeDemo, runAnalysisDemo } from '../../../cli/demo/analysis-demo';
import { fleet } from '../../fixtures/fleet';
import { tempRepo } from '../../helpers';

// A real Prometheus (Debian's package; .ci/run installs it) scrapes real HTTP pods on loopback.
// The demo starts every process on a free port and stops it in `finally`, within its own deadline.
jest.setTimeout(120_000);

describe('runAnalysisDemo', () => {
  test('GIVEN a healthy, a failing and an idle canary WHEN checked against a live Prometheus THEN each verdict is the template\'s', async () => {
    const results = await runAnalysisDemo({ fleet, root: tempRepo(), timeoutMs: 90_000 });
    expect(results.map(r => [r.scenario, r.expected, r.verdict])).toEqual([
      ['healthy canary', 'Successful', 'Successful'],
      ['canary at 20% errors', 'Failed', 'Failed'],
      ['canary with no traffic', 'Failed', 'Failed'],
    ]);
    // 20% errors: the success rate is about 0.8, measured, not assumed.
    const successRate = Number(/success-rate: Failed \(([0-9.]+)\)/.exec(results[1].lines[0])![1]);
    expect(successRate).toBeGreaterThan(0.7);
    expect(successRate).toBeLessThan(0.9);
    expect(results[2].lines[0]).toContain('success-rate: Failed (NaN)');
    expect(results[2].reason).toBe("the template's no-data policy (success-rate NaN: Failed, latency-p99 NaN: Failed)");
    expect(describeDemo(results)).toContain('| canary at 20% errors | Failed: 20% errors break the success rate | Failed ✓ |');
    expect(SCENARIOS).toHaveLength(3);
  });
});
