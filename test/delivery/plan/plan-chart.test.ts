import * as path from 'path';
import { planChart, planRollout, readServiceFolders, RolloutPlan } from '../../../delivery/plan';
import { tempRepo } from '../../helpers';
import { samplePlan } from './plan-fixture';

describe('planChart', () => {
  const svg = planChart(samplePlan());

  test('GIVEN a plan WHEN charted THEN it is one SVG document with the share line, the analysis window and the abort mark', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg.match(/<path /g)).toHaveLength(2); // the real share and, because it differs, the setWeight line
    expect(svg.match(/<rect x=/g)).toHaveLength(1);
    // The spike bound: 1m interval + 30s assumed scrape + 5% of the 1m window.
    expect(svg).toContain('abort ≤ 1m 33s');
    expect(svg).toContain('waits for a human');
    expect(svg).toContain('staging/api: canary share of traffic over time (replica-based, 2 replicas)');
  });

  test('GIVEN every element WHEN its tags are counted THEN each opened element is closed, so the file opens as a chart', () => {
    const opened = (svg.match(/<(svg|text|path|rect|title)(\s[^>]*)?(?<!\/)>/g) ?? []).length;
    const closed = (svg.match(/<\/(svg|text|path|rect|title)>/g) ?? []).length;
    expect(opened).toBe(closed);
    expect(svg).not.toMatch(/NaN|undefined/);
  });

  describe('GIVEN the fixture fleet\'s Rollouts judged against stable', () => {
    const plans = readServiceFolders(path.join(tempRepo(), 'dist')).map(f => planRollout(f)).filter((p): p is RolloutPlan => p !== undefined);
    const chartOf = (name: string) => planChart(plans.find(p => `${p.environment}/${p.service}` === name)!);

    test('WHEN staging/api is charted THEN no step is marked: at 2 rps its table states no bound', () => {
      expect(chartOf('staging/api')).not.toContain('abort ≤');
    });

    test('WHEN staging/web is charted THEN each analysed step is marked with the table\'s bound', () => {
      expect(chartOf('staging/web').match(/abort ≤ [^<]*/g)).toEqual(['abort ≤ 57s (bad from start)', 'abort ≤ 27s (bad from start)']);
    });
  });
});
