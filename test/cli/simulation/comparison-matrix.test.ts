import * as path from 'path';
import { comparisonMatrix, firstStepMde, lateRows, MATRIX_RATES, MatrixRow, MESH_SCRAPES, targetSummary } from '../../../cli/simulation/comparison-matrix';
import { planRollout, readServiceFolders, RolloutPlan } from '../../../delivery/plan';
import { tempRepo } from '../../helpers';

const plans = readServiceFolders(path.join(tempRepo(), 'dist')).map(f => planRollout(f)).filter((p): p is RolloutPlan => p !== undefined);
const web = plans.find(p => p.environment === 'staging' && p.service === 'web')!;

describe('comparison matrix', () => {
  test('GIVEN staging/web WHEN the matrix runs THEN it has one row per scenario × rate, named as in #24, with every field', async () => {
    const rows = await comparisonMatrix([web], 5);
    expect([...new Set(rows.map(r => r.rps))]).toEqual([...MATRIX_RATES, 20]);
    expect([...new Set(rows.map(r => r.scenario))].sort()).toEqual([
      'at-mde', 'bad-from-start', 'five-x', 'healthy', 'healthy-1pct', 'no-traffic', 'prometheus-down', 'prometheus-hanging',
      'shared-outage', 'shared-outage-onset', 'spike-step-1', 'spike-step-3',
    ]);
    const healthy = rows.find(r => r.scenario === 'healthy' && r.rps === 20)!;
    expect(healthy).toMatchObject({ rollout: 'staging/web', routing: 'gateway api', declared_rps: 20, baseline_error_pct: 0.1, scrape_s: 10, seeds: 5, promoted: 5, false_abort_rate: 0 });
    expect(Object.keys(healthy).sort()).toEqual([
      'abort_s_max', 'abort_s_p50', 'abort_s_p95', 'abort_s_p99', 'aborted', 'bad_requests_max', 'baseline_error_pct', 'caught_in_step', 'declared_rps', 'false_abort_rate',
      'max_exposure_pct', 'mde_pct', 'paused', 'plan_bound_s', 'promoted', 'rollout', 'routing', 'rps', 'scenario', 'scrape_s', 'seeds',
    ]);
    const noTraffic = rows.find(r => r.scenario === 'no-traffic')!;
    expect([noTraffic.rps, noTraffic.paused, noTraffic.aborted]).toEqual([0, 5, 0]);
  });

  test('GIVEN the declared rate WHEN the first step\'s minimum detectable effect is computed THEN it shrinks with traffic and is undefined below the floor', () => {
    expect(firstStepMde(web, 0.5)).toBeUndefined();
    expect(firstStepMde(web, 20)).toBeCloseTo(0.084, 3);
    expect(firstStepMde(web, 200)!).toBeLessThan(firstStepMde(web, 20)!);
  });

  test('GIVEN staging/web WHEN the matrix runs THEN bad-from-start rows carry the plan\'s bound at their rate, none where it states none, and every abort is within it', async () => {
    const rows = await comparisonMatrix([web], 5);
    const bad = (rps: number) => rows.find(r => r.scenario === 'bad-from-start' && r.rps === rps)!;
    expect([bad(20).plan_bound_s, bad(200).plan_bound_s, bad(0.5).plan_bound_s]).toEqual([57, 27, null]);
    expect(rows.find(r => r.scenario === 'healthy' && r.rps === 20)!.plan_bound_s).toBeNull();
    expect(lateRows(rows)).toEqual([]);
  });

  test('GIVEN a row whose latest abort exceeds its bound WHEN late rows are picked THEN only it is, and rows without a bound or an abort never are', () => {
    const row = (abort: number | null, bound: number | null) => ({ abort_s_max: abort, plan_bound_s: bound }) as MatrixRow;
    const late = row(58, 57);
    expect(lateRows([late, row(57, 57), row(30, null), row(null, 27)])).toEqual([late]);
  });

  test('GIVEN staging/web WHEN the matrix runs THEN Prometheus down and hanging are replayed at the declared rate only, abort as the plan states, within its bound', async () => {
    const rows = await comparisonMatrix([web], 5);
    const prometheus = rows.filter(r => r.scenario.startsWith('prometheus-'));
    expect(prometheus.map(r => [r.scenario, r.rps, r.aborted, r.seeds, r.plan_bound_s])).toEqual([
      ['prometheus-down', 20, 20, 20, 221], ['prometheus-hanging', 20, 20, 20, 221],
    ]);
    // Refused: 5 tries 10 s apart after 1 s + 25 s; hanging: each try waits the 30 s timeout too.
    expect(prometheus.map(r => r.abort_s_max)).toEqual([66.2, 216]);
  });

  test('GIVEN staging/web WHEN the matrix runs THEN five-x and at-mde are replayed at 0.1% and at 1% baselines, at-mde at the plan\'s effect for each', async () => {
    const rows = await comparisonMatrix([web], 5);
    const at20 = rows.filter(r => r.rps === 20 && (r.scenario === 'five-x' || r.scenario === 'at-mde'));
    expect(at20.map(r => [r.scenario, r.baseline_error_pct, r.mde_pct])).toEqual([
      ['five-x', 0.1, 8.401], ['five-x', 1, 12.791], ['at-mde', 0.1, 8.401], ['at-mde', 1, 12.791],
    ]);
  });

  test('GIVEN an Istio Rollout WHEN the matrix runs THEN the false-abort scenarios and bad-from-start are replayed at 15 s and 30 s scrapes too, each with its own bound', async () => {
    const istio = plans.find(p => p.router === 'istio')!;
    const rows = await comparisonMatrix([istio], 1);
    expect([...new Set(rows.map(r => r.scrape_s))]).toEqual([10, ...MESH_SCRAPES]);
    expect([...new Set(rows.filter(r => r.scrape_s === 30).map(r => r.scenario))]).toEqual(['healthy', 'healthy-1pct', 'shared-outage', 'shared-outage-onset', 'bad-from-start']);
    const bad = (scrape: number) => rows.find(r => r.scenario === 'bad-from-start' && r.rps === 200 && r.scrape_s === scrape)!.plan_bound_s;
    expect([bad(10), bad(15), bad(30)]).toEqual([27, 27, 57]);
  });

  test('GIVEN a Rollout on the Gateway API WHEN the matrix runs THEN it is replayed at its own scrape only', async () => {
    const rows = await comparisonMatrix([web], 1);
    expect([...new Set(rows.map(r => r.scrape_s))]).toEqual([10]);
  });

  test('GIVEN pooled rows WHEN the targets are summarized THEN each false-abort scenario and at-mde is marked met or not met, pooled and by its worst row', () => {
    const row = (scenario: string, seeds: number, aborted: number, caught: number | null = null) =>
      ({ scenario, seeds, aborted, mde_pct: caught === null ? null : 1, caught_in_step: caught }) as MatrixRow;
    expect(targetSummary([
      row('healthy', 200, 1), row('healthy', 200, 0),
      row('healthy-1pct', 200, 8), row('healthy-1pct', 200, 0),
      row('shared-outage', 100, 3),
      row('at-mde', 20, 20, 16), row('at-mde', 20, 20, 15), row('at-mde', 20, 0),
    ])).toEqual([
      'target healthy: false aborts 1/400 = 0.25% pooled (≤ 1%), worst row 0.50% (≤ 3%): met',
      'target healthy-1pct: false aborts 8/400 = 2.00% pooled (≤ 1%), worst row 4.00% (≤ 3%): not met',
      'target shared-outage: false aborts 3/100 = 3.00% pooled (≤ 1%), worst row 3.00% (≤ 3%): not met',
      'target shared-outage-onset: false aborts 0/0 = 0.00% pooled (≤ 1%), worst row 0.00% (≤ 3%): not met',
      'target at-mde: caught before the step ends 31/40 = 77.50% pooled (≥ 75%), worst row 75.00% (≥ 60%): met',
    ]);
  });
});
