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
    expect(lines).toContain('| 1 | 80 | 5s | 8.40% | 57s |');
    expect(lines).toContain('| 3 | 400 | 1s | 2.27% | 27s |');
    expect(lines).toContain('"abort: bad from start" counts from the step\'s start: the first measurement (reconcile + initialDelay + k × interval) whose window, '
      + 'less one scrape, holds the data floor and enough errors at 20% to exceed z_crit in 99% of releases, '
      + 'plus failureLimit × interval and one reconcile for the controller to act; "none" where no measurement of the step can, and no mark on the chart.');
  });

  test('GIVEN staging/api of the example fleet at its declared 2 rps WHEN its judgement is stated THEN the first step says it has no bad-from-start bound and the second states one', () => {
    const plans = readServiceFolders(path.join(tempRepo(), 'dist')).map(f => planRollout(f)).filter((p): p is RolloutPlan => p !== undefined);
    const lines = judgementLines(plans.find(p => p.environment === 'staging' && p.service === 'api')!);
    expect(lines.find(l => l.startsWith('| 1 |'))).toMatch(/\| none: too few requests \|$/);
    expect(lines.find(l => l.startsWith('| 3 |'))).toMatch(/\| 1m 27s \|$/);
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
