import * as path from 'path';
import { replayComparison } from '../../../cli/simulation/comparison-replay';
import { planRollout, readServiceFolders, RolloutPlan } from '../../../delivery/plan';
import { comparisonOf } from '../../../lib/analysis/canary-comparison';
import { tempRepo } from '../../helpers';

const plans = readServiceFolders(path.join(tempRepo(), 'dist')).map(f => planRollout(f)).filter((p): p is RolloutPlan => p !== undefined);
const web = plans.find(p => p.environment === 'staging' && p.service === 'web')!;
const constant = (rate: number) => () => rate;
const replay = (rps: number, canary: number, stable: number, seeds: number) => Promise.all(
  Array.from({ length: seeds }, (_, i) => replayComparison({
    plan: web, rps, scrapeS: 10, seed: i + 1, canaryErrorRate: constant(canary), stableErrorRate: constant(stable),
  })));

describe('in-process comparison replay', () => {
  test('GIVEN the rendered query WHEN its parameters are read back THEN they are the ones the template was built with', () => {
    const metric = web.steps.flatMap(s => s.metrics).find(m => m.name === 'error-rate-vs-stable')!;
    expect(comparisonOf(metric)).toMatchObject({ ratio: 1.5, allowance: 0.0005, ceiling: 0.5, minRequests: 10 });
  });

  test('GIVEN healthy releases at the declared 20 requests/s WHEN replayed THEN none aborts and none pauses', async () => {
    const outcomes = await replay(20, 0.001, 0.001, 100);
    expect(outcomes.filter(o => o.verdict !== 'Promoted')).toEqual([]);
  });

  test('GIVEN no traffic WHEN replayed THEN the release pauses, never aborts', async () => {
    const outcomes = await replay(0, 0.001, 0.001, 5);
    expect(new Set(outcomes.map(o => o.verdict))).toEqual(new Set(['Paused']));
  });

  test('GIVEN a shared outage (5% on both) at 200 requests/s WHEN replayed THEN the canary is not blamed', async () => {
    const outcomes = await replay(200, 0.05, 0.05, 50);
    expect(outcomes.filter(o => o.verdict === 'Aborted')).toEqual([]);
  });

  test('GIVEN a canary bad from the start (20%) at 50 requests/s WHEN replayed THEN it is aborted at the first measurement, at 10% of traffic', async () => {
    const outcomes = await replay(50, 0.2, 0.001, 40);
    expect(outcomes.every(o => o.verdict === 'Aborted' && o.endS <= 45)).toBe(true);
    expect(Math.max(...outcomes.flatMap(o => o.shares.filter(s => s.atS <= o.endS).map(s => s.share)))).toBe(10);
  });

  test.each([
    ['down', 66.2, 'Error'],
    ['hanging', 216, 'Error'],
  ] as const)('GIVEN Prometheus %s from the start WHEN replayed THEN every query errors and the run ends past consecutiveErrorLimit: aborted at %s s', async (prometheus, endS, phase) => {
    const outcome = await replayComparison({ plan: web, rps: 20, scrapeS: 10, seed: 1, canaryErrorRate: constant(0.001),
      stableErrorRate: constant(0.001), prometheus });
    expect([outcome.verdict, Math.round(outcome.endS * 10) / 10]).toEqual(['Aborted', endS]);
    expect(outcome.reason).toBe('web-canary/error-rate-vs-stable: consecutive errors (5) > consecutiveErrorLimit (4)');
    expect(new Set(outcome.measurements.map(m => m.phase))).toEqual(new Set([phase]));
  });
});
