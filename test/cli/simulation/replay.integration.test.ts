import { simulate } from '../../../cli/simulation/replay';
import { tempRepo } from '../../helpers';

// A real Prometheus (Debian's package) on a TSDB backfilled with promtool; virtual time, so it takes seconds.
jest.setTimeout(180_000);

describe('simulate', () => {
  test('GIVEN the example fleet WHEN every Rollout is replayed on the controller\'s schedule THEN it meets the release-safety targets and the plan\'s bounds hold', async () => {
    const { results, plans } = await simulate({ root: tempRepo(), healthyRuns: 200 });
    const routed = results.filter(r => r.routing !== 'replicas');
    const of = (scenario: string | RegExp) => routed.filter(r => (typeof scenario === 'string' ? r.scenario === scenario : scenario.test(r.scenario)));
    expect(plans.map(p => `${p.environment}/${p.service}`)).toEqual(['production/api', 'production/web', 'staging/api', 'staging/web']);
    expect(new Set(routed.map(r => r.rollout))).toEqual(new Set(['production/api', 'production/web', 'staging/web']));

    // A healthy canary at 0.1% errors: at most 1% of 200 seeded releases aborted, for every Rollout.
    for (const r of results.filter(x => x.scenario === 'healthy')) {
      expect([r.rollout, r.verdict, r.false_abort_rate! <= 0.01]).toEqual([r.rollout, 'Promoted', true]);
    }
    // Bad from the start: aborted within 45 s of the first request, at no more than 10% of traffic.
    for (const r of of('bad-from-start')) {
      expect([r.rollout, r.verdict, r.abort_s! <= 45, r.max_exposure_pct]).toEqual([r.rollout, 'Aborted', true, 10]);
    }
    // A spike during any step: aborted within 75 s.
    expect(of(/^spike-step-/).length).toBeGreaterThanOrEqual(8);
    for (const r of of(/^spike-step-/)) expect([r.rollout, r.scenario, r.verdict, r.abort_s! <= 75]).toEqual([r.rollout, r.scenario, 'Aborted', true]);
    // No traffic: the declared no-data policy decides, and the output says so.
    for (const r of results.filter(x => x.scenario === 'no-traffic')) {
      expect(r.verdict).toBe('Aborted');
      expect(r.note).toContain('the declared no-data policy: NaN is Failed');
    }
    // Prometheus down or hanging: aborted within the plan's bound.
    for (const r of results.filter(x => x.scenario.startsWith('prometheus-'))) {
      expect([r.rollout, r.scenario, r.verdict, r.abort_s! <= r.plan_bound_s!]).toEqual([r.rollout, r.scenario, 'Aborted', true]);
    }
    // Every simulated abort is within the plan's bound, and the bound is no more than 25% above the worst simulated time.
    const bounded = results.filter(r => r.plan_bound_s !== null && r.abort_s !== null && !r.scenario.startsWith('prometheus-'));
    expect(bounded.length).toBeGreaterThanOrEqual(11);
    for (const r of bounded) expect([r.rollout, r.scenario, r.abort_s! <= r.plan_bound_s!]).toEqual([r.rollout, r.scenario, true]);
    for (const rollout of new Set(bounded.map(r => r.rollout))) {
      const spikes = bounded.filter(r => r.rollout === rollout && r.scenario.startsWith('spike-step-'));
      const worst = Math.max(...spikes.map(r => r.abort_s!));
      expect([rollout, spikes[0].plan_bound_s! <= 1.25 * worst]).toEqual([rollout, true]);
    }
    // A replica-based canary states its real exposure: 33% at setWeight 10 with 2 replicas, which the plan warns about.
    const staging = results.find(r => r.rollout === 'staging/api' && r.scenario === 'no-traffic')!;
    expect(staging.max_exposure_pct).toBe(33.3);
    expect(plans.find(p => p.service === 'api' && p.environment === 'staging')!.warnings)
      .toContain('steps[0]: setWeight 10 sends 33% of traffic to the canary with 2 replicas, not 10%; 9 replicas or a traffic router would meet 10%');
  });
});
