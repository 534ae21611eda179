import * as path from 'path';
import { boundText, chartFileName, judgementLines, planMarkdown, planRollout, readServiceFolders, RolloutPlan } from '../../../delivery/plan';
import { tempRepo } from '../../helpers';
import { samplePlan } from './plan-fixture';

describe('planMarkdown', () => {
  test('GIVEN a plan WHEN rendered THEN the timeline, exposure, warnings and chart link are in the comment', () => {
    const plan = samplePlan();
    const markdown = planMarkdown([plan]);
    expect(markdown).toContain('## Canary plan');
    expect(markdown).toContain('the controller returns to the stable ReplicaSet skipping every step (`SkipSteps`: no weights, pauses or analysis), so the revert replays no canary.');
    expect(markdown).toContain('1 Rollouts, 2 warnings.');
    expect(markdown).toContain('replica-based, 2 replicas. Full promotion after **∞** at the earliest. Traffic exposed before the first measurement can fail: **33% (setWeight 10 on 2 replicas)**.');
    // No PodMonitor: 30s scrapes assumed. Bad from start: 1s + 2 × 1m (the first measurement past 2 × 30s + 3s);
    // spike: 1m + 30s + 3s; Prometheus down: 1s + 1m + 5 × 30s + 4 × 10s.
    expect(markdown).toContain('| 1 | analysis rate | 33% (weight 10) | 0s | 2m 1s | 2m 1s | 1m 33s | 4m 11s |');
    expect(markdown).toContain('| 2 | pause until promoted by hand | 33% (weight 10) | 2m 1s | ∞ |  |  |  |');
    expect(markdown).toContain('- ⚠️ steps[0]: setWeight 10 sends 33% of traffic to the canary with 2 replicas, not 10%; 9 replicas or a traffic router would meet 10%');
    expect(markdown).toContain('- ⚠️ no expected request rate is declared');
    expect(markdown).toContain('![staging/api](staging-api.svg)');
    expect(chartFileName(plan)).toBe('staging-api.svg');
    expect(markdown).toMatchSnapshot();
  });

  test('GIVEN opt-outs of Rollouts without a canary plan WHEN rendered THEN they follow the plans as warnings', () => {
    const markdown = planMarkdown([samplePlan()], ['staging/admin: promotes with no analysis measuring it; accepted: internal tool']);
    expect(markdown).toContain('### Opt-outs of Rollouts without a canary plan\n\n- ⚠️ staging/admin: promotes with no analysis measuring it; accepted: internal tool\n');
  });
});

describe('judgementLines', () => {
  test('GIVEN staging/web of the fixture fleet WHEN its judgement is stated THEN it gives the release\'s false-abort bound and, per step at 20 rps, requests, the floor and the detectable rate', () => {
    const plans = readServiceFolders(path.join(tempRepo(), 'dist')).map(f => planRollout(f)).filter((p): p is RolloutPlan => p !== undefined);
    const lines = judgementLines(plans.find(p => p.environment === 'staging' && p.service === 'web')!);
    expect(lines[0]).toBe('**Judgement against stable**: false-abort bound of a healthy release 1.00% (6 measurements at z > 2.9352); '
      + 'below 10 canary requests a measurement is Inconclusive, and more than inconclusiveLimit of them pause the release (never abort it).');
    // Step 1 at 10% of 20 rps: 2 requests/s over the 40 s window; its last measurement catches 8.4% errors 80% of the time.
    expect(lines).toContain('| 1 | 80 | 5s | 8.40% | 57s |');
    // Step 3 at 50%, its window reaching back 5 s into step 1 at 10%.
    expect(lines).toContain('| 3 | 400 | 1s | 4.53% | 27s |');
    expect(lines).toContain('By its end the release catches a canary error rate of 4.53% with 80% power at 20 rps, against a stable at 0.1%: '
      + 'more than 2 points above stable; longer steps (analysisCount) would see more.');
    expect(lines).toContain('"abort: bad from start" counts from the step\'s start: the time by which 99% of 2000 releases the plan draws '
      + '(Poisson traffic per scrape interval, 20% errors from the step\'s start, the scrapes at a random phase) are aborted, '
      + 'each measurement judged by the query\'s own statistic on the controller\'s schedule, this step and the ones after it, one reconcile included '
      + 'for the controller to act; "none" where fewer abort, and no mark on the chart.');
  });

  test('GIVEN production/api of the fixture fleet at its declared 150 rps WHEN its judgement is stated THEN the release catches less than 2 points above stable', () => {
    const plans = readServiceFolders(path.join(tempRepo(), 'dist')).map(f => planRollout(f)).filter((p): p is RolloutPlan => p !== undefined);
    const lines = judgementLines(plans.find(p => p.environment === 'production' && p.service === 'api')!);
    expect(lines).toContain('By its end the release catches a canary error rate of 0.97% with 80% power at 150 rps, against a stable at 0.1%: within the 2 points the analysis aims for.');
  });

  test('GIVEN staging/api of the fixture fleet at its declared 2 rps WHEN its judgement is stated THEN neither step states a bad-from-start bound', () => {
    const plans = readServiceFolders(path.join(tempRepo(), 'dist')).map(f => planRollout(f)).filter((p): p is RolloutPlan => p !== undefined);
    const lines = judgementLines(plans.find(p => p.environment === 'staging' && p.service === 'api')!);
    expect(lines.find(l => l.startsWith('| 1 |'))).toMatch(/\| none: too few requests \|$/);
    expect(lines.find(l => l.startsWith('| 3 |'))).toMatch(/\| none: too few requests \|$/);
  });
});

describe('boundText', () => {
  test('GIVEN each kind of bound WHEN stated THEN the table names the time or why there is none', () => {
    expect(boundText({ kind: 'abort', boundS: 57 })).toBe('57s');
    expect(boundText({ kind: 'pauses' })).toBe('none: below the data floor it pauses');
    expect(boundText({ kind: 'none' })).toBe('none: too few requests');
    expect(boundText(undefined)).toBe('none: not judged against stable');
  });
});
