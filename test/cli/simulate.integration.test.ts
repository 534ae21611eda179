import * as fs from 'fs';
import * as path from 'path';
import { simulateCommand } from '../../cli/simulate';
import { tempRepo } from '../helpers';

// The in-process matrix, then the real-Prometheus subset (Debian's package, a TSDB backfilled with promtool).
jest.setTimeout(300_000);

describe('simulate with a real Prometheus', () => {
  test('GIVEN the fixture fleet WHEN simulated THEN it prints the matrix, and every comparison the real subset measured equals the in-process evaluator\'s', async () => {
    const root = tempRepo();
    const progress: string[] = [];
    const simulated = await simulateCommand(root, ['--json', '--runs', '2'], line => progress.push(line));

    const rows = simulated.output.split('\n').map(l => JSON.parse(l) as { rollout: string; scenario: string });
    expect(new Set(rows.map(r => r.rollout))).toEqual(new Set(['production/api', 'production/web', 'staging/api', 'staging/web']));
    expect(rows.filter(r => r.scenario === 'shared-outage-onset').length).toBeGreaterThan(0);
    const proof = progress.filter(l => l.startsWith('in-process evaluator: '));
    expect(proof).toHaveLength(1);
    const [, equal, of] = proof[0].match(/^in-process evaluator: (\d+) of (\d+) comparison measurements equal to Prometheus's$/)!;
    // Every replay with traffic measures the comparison at least once per analysed step.
    expect(Number(of)).toBeGreaterThan(50);
    expect(equal).toBe(of);
    expect(progress.filter(l => l.startsWith('differs: '))).toEqual([]);

    const folder = path.join(root, 'reports/simulate');
    expect(fs.readdirSync(folder).sort()).toEqual(['matrix.json', 'production-api.svg', 'production-web.svg', 'simulate.json', 'simulate.md', 'staging-api.svg', 'staging-web.svg']);
    expect(fs.readFileSync(path.join(folder, 'matrix.json'), 'utf8')).toBe(`${simulated.output}\n`);
    expect(fs.readFileSync(path.join(folder, 'simulate.md'), 'utf8')).toContain(`- ${proof[0]}\n`);
    // bad_requests are the canary's error responses until the abort: at 20% errors, about a fifth of its requests.
    const real = fs.readFileSync(path.join(folder, 'simulate.json'), 'utf8').trim().split('\n')
      .map(l => JSON.parse(l) as { rollout: string; scenario: string; abort_s: number; max_exposure_pct: number; bad_requests: number });
    const bad = real.find(r => r.rollout === 'production/api' && r.scenario === 'bad-from-start')!;
    expect([bad.abort_s, bad.max_exposure_pct]).toEqual([26, 10]);
    expect(Math.abs(bad.bad_requests - 150 * 0.1 * 26 * 0.2)).toBeLessThan(25);
    expect(progress[progress.length - 1]).toBe('wrote reports/simulate/matrix.json, reports/simulate/simulate.md, reports/simulate/simulate.json and 4 charts');
    // The fixture fleet misses some of #24's aims (simulate.test.ts), which are reported; only a guarantee of the judgement not met
    // would fail the command, the proof being equal.
    const guaranteeMissed = progress.some(l => /^target (healthy|healthy-1pct|shared-outage|shared-outage-onset|no-traffic|abort bounds):.*: not met$/.test(l));
    expect(simulated.failed).toBe(guaranteeMissed);
  });
});
