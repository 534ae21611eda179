import { chartFileName, planMarkdown } from '../../../lib/plan';
import { samplePlan } from './plan-fixture';

describe('planMarkdown', () => {
  test('GIVEN a plan WHEN rendered THEN the timeline, exposure, warnings and chart link are in the comment', () => {
    const plan = samplePlan();
    const markdown = planMarkdown([plan]);
    expect(markdown).toContain('## Canary plan');
    expect(markdown).toContain('1 Rollouts, 1 warning.');
    expect(markdown).toContain('replica-based, 2 replicas. Full promotion after **∞** at the earliest. Traffic exposed before the first measurement can fail: **33% (setWeight 10 on 2 replicas)**.');
    expect(markdown).toContain('| 1 | analysis rate | 33% (weight 10) | 0s | 2m | 2m | 40s |');
    expect(markdown).toContain('| 2 | pause until promoted by hand | 33% (weight 10) | 2m | ∞ |  |  |');
    expect(markdown).toContain('- ⚠️ no expected request rate is declared');
    expect(markdown).toContain('![staging/api](staging-api.svg)');
    expect(chartFileName(plan)).toBe('staging-api.svg');
    expect(markdown).toMatchSnapshot();
  });
});
