import * as path from 'path';
import {
  BOUND_CONFIDENCE, comparisonStartBound, expectedWindow, releaseDetectableRate, releaseStartBoundS, RolloutPlan, planRollout, readServiceFolders,
  shareAtS, stepDetectableRate,
} from '../../../delivery/plan';
import { tempRepo } from '../../helpers';

// The fixture fleet's plans: production/api (istio, 10/25/50%, 150 rps declared, 5 × every 30 s over 40 s windows) and
// staging/api (2 replicas, weights 10 and 50, 2 rps declared, analysisCount 3 set by the fleet, so no step is lengthened).
const plans = readServiceFolders(path.join(tempRepo(), 'dist')).map(f => planRollout(f)).filter((p): p is RolloutPlan => p !== undefined);
const production = plans.find(p => p.environment === 'production' && p.service === 'api')!;
const staging = plans.find(p => p.environment === 'staging' && p.service === 'api')!;
const judged = (plan: RolloutPlan) => plan.steps.filter(s => s.metrics.length > 0);

describe('the judgement against stable, as the plan states it', () => {
  test('GIVEN the nominal schedule WHEN the canary share is read at a time THEN it is the latest step\'s, 0 before the release', () => {
    expect([-1, 0, 145, 146, 300].map(atS => shareAtS(production, atS))).toEqual([0, 10, 10, 25, 50]);
  });

  test('GIVEN a window that spans a weight change WHEN its requests are expected THEN each part counts at its own share, ending half a scrape before now', () => {
    const metric = judged(production)[1].metrics[0];
    // At 170 s with W = 40 s and S = 10 s: traffic from 125 to 165 s, 21 s at 10% and 19 s at 25% of 150 rps.
    const window = expectedWindow(production, metric, 170, 150, 10);
    expect(window).toEqual({ canaryRequests: Math.floor(150 * (0.1 * 21 + 0.25 * 19)), stableRequests: expect.any(Number), stableRate: 0.001 });
    // Before the first scrape the window holds nothing.
    expect(expectedWindow(production, metric, 5, 150, 10).canaryRequests).toBe(0);
    // Stable counts only in the scrape intervals the canary took requests in: at 0.05 canary requests/s about 39% of them.
    const thin = expectedWindow(production, judged(production)[0].metrics[0], 100, 0.5, 10);
    expect(thin.stableRequests).toBe(Math.floor(0.45 * 40 * (1 - Math.exp(-0.05 * 10))));
  });

  test('GIVEN production/api at its declared 150 rps WHEN each step\'s detectable error rate is computed THEN it shrinks with the share, '
    + 'and the release\'s is the last step\'s, within 2 points of a 0.1% stable', () => {
    const rates = judged(production).map(step => stepDetectableRate(production, step, 150, 10)!);
    expect(rates[0]).toBeGreaterThan(rates[1]);
    expect(rates[1]).toBeGreaterThan(rates[2]);
    expect(releaseDetectableRate(production, 150, 10)).toBe(rates[2]);
    expect(rates[2]).toBeLessThan(0.001 + 0.02);
  });

  test('GIVEN staging/api at its declared 2 rps with the fleet\'s 3 measurements a step WHEN its detectable rate is computed THEN it is far above 2 points, and NaN where the run pauses first', () => {
    expect(releaseDetectableRate(staging, 2, 10)).toBeGreaterThan(0.15);
    // At 0.5 rps the first two measurements are below the floor: more than inconclusiveLimit (1), the run pauses.
    expect(stepDetectableRate(staging, judged(staging)[0], 0.5, 10)).toBeNaN();
    expect(stepDetectableRate(staging, staging.steps[0], 2, 10)).toBeUndefined();
  });

  test(`GIVEN production/api at 150 rps WHEN a canary bad from a step's start is drawn THEN ${BOUND_CONFIDENCE * 100}% abort at the first measurement: 1 s reconcile + 25 s initialDelay + 1 s for the controller`, () => {
    for (const step of judged(production)) expect(comparisonStartBound(production, step, 150, 10)).toEqual({ kind: 'abort', boundS: 27 });
    expect(releaseStartBoundS(production, 150, 10)).toBe(27);
  });

  test('GIVEN production/api at 10 rps WHEN drawn THEN 99% abort by the fourth measurement, whose windows overlap the earlier ones', () => {
    expect(comparisonStartBound(production, judged(production)[0], 10, 10)).toEqual({ kind: 'abort', boundS: 117 });
  });

  test('GIVEN the same plan, step, rate and scrape WHEN drawn twice THEN the bound is the same: the draws are seeded', () => {
    const step = judged(production)[0];
    // A copy of the step is drawn anew, not read from the cache.
    expect(comparisonStartBound(production, { ...step }, 10, 10)).toEqual(comparisonStartBound(production, step, 10, 10));
  });

  test('GIVEN production/api at 0.5 rps WHEN drawn THEN more measurements than inconclusiveLimit fall below the data floor: it pauses, and the release states no bound', () => {
    expect(comparisonStartBound(production, judged(production)[0], 0.5, 10)).toEqual({ kind: 'pauses' });
    expect(releaseStartBoundS(production, 0.5, 10)).toBeUndefined();
  });

  test('GIVEN staging/api at 2 rps WHEN drawn THEN too few releases abort for a bound: none', () => {
    expect(comparisonStartBound(staging, judged(staging)[0], 2, 10)).toEqual({ kind: 'none' });
    expect(releaseStartBoundS(staging, 2, 10)).toBeUndefined();
  });

  test('GIVEN a step that does not judge against stable WHEN bounded THEN there is no comparison bound', () => {
    expect(comparisonStartBound(production, { metrics: [], startS: 0 }, 150, 10)).toBeUndefined();
  });
});
