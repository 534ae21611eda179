import * as fs from 'fs';
import * as path from 'path';
import { simulateCommand, simulationMarkdown } from '../../cli/simulate';
import { ScenarioResult } from '../../cli/simulation/replay';
import { samplePlan } from '../delivery/plan/plan-fixture';
import { tempRepo } from '../helpers';

const result = (overrides: Partial<ScenarioResult>): ScenarioResult => ({
  rollout: 'staging/api', routing: 'replicas', scenario: 'bad-from-start', verdict: 'Aborted', abort_s: 26, max_exposure_pct: 33.3,
  bad_requests: 10, plan_bound_s: 26, ...overrides,
});

describe('simulate', () => {
  test.each([
    ['a non-numeric run count', ['--runs', 'many'], "simulate: '--runs' is 'many': must be a positive integer; usage: npm run simulate"],
    ['a report folder inside dist/', ['--out', 'dist/sim'], "simulate: '--out' is 'dist/sim': argo cd reads every yaml file under dist/, and reports do not belong there"],
    ['an unknown flag', ['--fast'], "unknown option '--fast'"],
  ])('GIVEN %s WHEN simulated THEN it fails with the fix before starting anything', async (_, argv, message) => {
    await expect(simulateCommand(tempRepo(), argv)).rejects.toThrow(message);
  });

  test('GIVEN results WHEN rendered THEN the targets and the proof come first, then each Rollout has its table, the false-abort rate, a late abort flagged, and its chart', () => {
    const markdown = simulationMarkdown([
      result({ scenario: 'healthy', verdict: 'Promoted', abort_s: null, plan_bound_s: null, max_exposure_pct: 100, bad_requests: 0, false_abort_rate: 0.005 }),
      result({ scenario: 'spike-step-1', abort_s: 50, plan_bound_s: 41.5 }),
    ], [samplePlan()], 200, ['target healthy: false aborts 0/800: met', "in-process evaluator: 12 of 12 comparison measurements equal to Prometheus's"]);
    expect(markdown).toContain('- target healthy: false aborts 0/800: met\n- in-process evaluator: 12 of 12 comparison measurements equal to Prometheus\'s\n');
    expect(markdown.indexOf('in-process evaluator')).toBeLessThan(markdown.indexOf('### staging/api'));
    expect(markdown).toContain('"healthy" is 200 seeded releases at 0.1% errors');
    expect(markdown).toContain('bad requests are the error responses the canary served until traffic returned to stable');
    expect(markdown).toContain('| healthy | Promoted (false aborts 0.5%) |  |  | 100% | 0 |  |');
    expect(markdown).toContain('| spike-step-1 | Aborted | 50 s ⚠️ later than the plan | 41.5 s | 33.3% | 10 |  |');
    expect(markdown).toContain('![staging/api](staging-api.svg)');
  });

  test.each([
    ['in process', ['--in-process']],
    ['with the real-Prometheus subset', []],
  ])('GIVEN a dist/ without Rollouts WHEN simulated %s THEN it fails with the fix and writes nothing', async (_, argv) => {
    const root = tempRepo({ withDist: false });
    await expect(simulateCommand(root, [...argv, '--runs', '1']))
      .rejects.toThrow("simulate: 'dist' is []: holds no canary rollout to replay; run npm run synth first");
    expect(fs.existsSync(path.join(root, 'reports'))).toBe(false);
  });

  test('GIVEN the fixture fleet WHEN simulated in process THEN it prints the matrix, judges every target on stderr, skips the real subset, and reports the fleet\'s aims without failing', async () => {
    // One Rollout keeps the replay short: staging/web, the others' folders removed from dist/.
    const root = tempRepo();
    for (const folder of ['staging/api', 'production/api', 'production/web']) fs.rmSync(path.join(root, 'dist', folder), { recursive: true });
    const progress: string[] = [];
    const simulated = await simulateCommand(root, ['--in-process', '--json', '--runs', '1'], line => progress.push(line));
    const rows = simulated.output.split('\n').map(l => JSON.parse(l) as { rollout: string; scenario: string; rps: number; scrape_s: number; plan_bound_s: number | null });
    expect([...new Set(rows.map(r => r.rollout))]).toEqual(['staging/web']);
    expect(rows.filter(r => r.scenario === 'bad-from-start' && r.rps === 200 && r.scrape_s === 10).map(r => r.plan_bound_s)).toEqual([27]);
    expect(progress.filter(l => l.startsWith('target ')).map(l => l.split(':')[0])).toEqual([
      'target healthy', 'target healthy-1pct', 'target shared-outage', 'target shared-outage-onset', 'target declared-rate pauses',
      'target no-traffic', 'target bad-from-start', 'target detectable effect', 'target at-mde', 'target abort bounds', 'target bound tightness',
    ]);
    // Without Prometheus there is no proof and no real releases: the matrix only.
    expect(progress.filter(l => l.startsWith('in-process evaluator'))).toEqual([]);
    expect(progress[progress.length - 1]).toBe('wrote reports/simulate/matrix.json');
    expect(fs.readdirSync(path.join(root, 'reports/simulate'))).toEqual(['matrix.json']);
    expect(fs.readFileSync(path.join(root, 'reports/simulate/matrix.json'), 'utf8')).toBe(`${simulated.output}\n`);
    // The fixture's staging/web keeps 3 measurements a step, too short for a 2-point effect: reported, not failed, since the
    // judgement's guarantees hold; a pull request is not blocked by the fleet's own rates.
    expect(progress.filter(l => l.endsWith(': not met')).map(l => l.split(':')[0])).toContain('target detectable effect');
    expect(progress).toContain('the targets not met depend on the fleet\'s declared rates and steps, which npm run plan states: reported, not failed');
    expect(simulated.failed).toBe(false);
  });
});
