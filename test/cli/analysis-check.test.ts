import * as fs from 'fs';
import * as path from 'path';
import { analysisCheckCommand } from '../../cli/analysis-check';
import { fakePrometheus, vector } from '../fake-prometheus';
import { fleet } from '../fixtures/fleet';
import { tempRepo } from '../helpers';

describe('analysis:check', () => {
  test('GIVEN one value for every query WHEN checked THEN each metric is judged by its own threshold, and a failure fails the command', async () => {
    const prometheus = await fakePrometheus(() => vector('3'));
    try {
      const result = await analysisCheckCommand(fleet, tempRepo(),
        ['--prometheus', prometheus.url, '--service', 'web', '--env', 'staging', '--canary-hash', 'abc123', '--stable-hash', 'def456']);
      // The comparison's score 3 is above z_crit = Φ⁻¹(1 − 1%/6) for 2 steps × 3 measurements.
      expect(result.output.split('\n')).toEqual([
        'staging/web web-canary/error-rate-vs-stable: Failed (3); condition <= 2.9352 (empty: Inconclusive, NaN: Inconclusive, Inf: Failed)',
        'staging/web web-canary/latency-p99: Failed (3); condition <= 0.5 (empty: Inconclusive, NaN: Inconclusive, Inf: Failed)',
      ]);
      expect(prometheus.queries[0]).toContain('rollouts_pod_template_hash="def456"');
      expect(result.failed).toBe(true);
      expect(prometheus.queries[0]).toContain('namespace="shop-staging",rollouts_pod_template_hash="abc123"');
    } finally {
      await prometheus.close();
    }
  });

  test('GIVEN an Istio service WHEN checked THEN the canary and stable Service names fill their args, and no hash is needed', async () => {
    const prometheus = await fakePrometheus(() => vector('0.999'));
    try {
      const result = await analysisCheckCommand(fleet, tempRepo(), ['--prometheus', prometheus.url, '--service', 'api', '--env', 'production']);
      expect(result).toEqual({
        output: 'production/api api-canary/error-rate-vs-stable: Successful (0.999); condition <= 3.2088 (empty: Inconclusive, NaN: Inconclusive, Inf: Failed)', failed: false,
      });
      expect(prometheus.queries[0]).toContain('destination_service_name="api-canary"');
      expect(prometheus.queries[0]).toContain('destination_service_name="api-stable"');
    } finally {
      await prometheus.close();
    }
  });

  test.each([
    ['no --prometheus', [], "analysis:check: '--prometheus' is unset: is required; usage: npm run analysis:check -- --prometheus URL"],
    ['a bad url', ['--prometheus', 'localhost:9090'], "'--prometheus' is 'localhost:9090': must be an http(s) url"],
    ['an unknown service', ['--prometheus', 'http://p', '--service', 'db'], "fleet: '--service' is 'db': is not a service of the fleet"],
    ['a missing canary hash', ['--prometheus', 'http://p', '--service', 'web', '--env', 'staging'], "staging/web: 'web-canary.args.canary-hash' is unset: has no value outside the cluster; pass --canary-hash (the canary pods' rollouts-pod-template-hash label) or --stable-hash"],
  ])('GIVEN %s WHEN checked THEN it fails with the fix', async (_, argv, message) => {
    await expect(analysisCheckCommand(fleet, tempRepo(), argv)).rejects.toThrow(message);
  });

  test('GIVEN a service not pinned in the environment WHEN checked THEN it says nothing matches', async () => {
    const root = tempRepo();
    fs.writeFileSync(path.join(root, 'releases/production.json'), '{}\n');
    await expect(analysisCheckCommand(fleet, root, ['--prometheus', 'http://p', '--service', 'web', '--env', 'production']))
      .rejects.toThrow("analysis:check: '--service/--env' is 'web/production': no pinned deployment matches, so there is no analysis to check; pick a deployed service and environment (npm run fleet)");
  });
});
