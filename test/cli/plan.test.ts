import * as fs from 'fs';
import * as path from 'path';
import { PLAN_COMMAND, planCommand } from '../../cli/plan';
import { fleet } from '../fixtures/fleet';
import { readTree, tempRepo } from '../helpers';

describe('plan', () => {
  test('GIVEN the fixture fleet WHEN planned THEN plan.md and one chart per Rollout go to the report folder, outside dist/', () => {
    const root = tempRepo();
    const before = readTree(path.join(root, 'dist'));
    const markdown = planCommand(root, []);
    expect(fs.readdirSync(path.join(root, 'reports/plan')).sort()).toEqual(['plan.md', 'production-api.svg', 'production-web.svg', 'staging-api.svg', 'staging-web.svg']);
    expect(markdown).toBe(`${fs.readFileSync(path.join(root, 'reports/plan/plan.md'), 'utf-8').trimEnd()}\n\nwrote reports/plan/plan.md and 4 charts (reports/plan/*.svg)`);
    expect(markdown).toContain('Traffic exposed before the first measurement can fail: **33% (setWeight 10 on 2 replicas)**');
    expect(readTree(path.join(root, 'dist'))).toEqual(before);
  });

  test('GIVEN an output folder inside dist/ WHEN planned THEN it is refused, since Argo CD would read it', () => {
    expect(() => planCommand(tempRepo(), ['--out', 'dist/plan'])).toThrow("plan: '--out' is 'dist/plan': argo cd reads every yaml file under dist/, and reports do not belong there; write them outside dist/, e.g. reports/plan");
  });

  test('GIVEN no dist/ WHEN planned THEN the error says to synthesize first', () => {
    expect(() => planCommand(tempRepo({ withDist: false }), [])).toThrow("plan: 'dist' is []: holds no rollout to plan; run npm run synth first");
  });

  test('GIVEN a pending commit journal WHEN the plan is written THEN stderr warns how to complete it', async () => {
    const root = tempRepo();
    fs.writeFileSync(path.join(root, '.synth-commit.json'), '{}');
    const said: string[] = [];
    await PLAN_COMMAND.run({ root, fleet: () => fleet, progress: m => said.push(m) }, []);
    expect(said).toEqual(['warning: .synth-commit.json: a commit interrupted by a crash is pending, so dist/ and releases/ may hold a mix of two states; run npm run synth to complete it']);
  });
});
