import { Testing } from 'cdk8s';
import { validationProblems } from '../../../lib/errors';
import { Actions, Step, Workflow } from '../../../lib/forgejo';

function workflow() {
  const app = Testing.app();
  const wf = new Workflow(app, 'wf', { name: 'ci', outputPath: 'x/ci.yaml', on: { push: { branches: ['main'] } } });
  return { app, wf };
}

describe('Workflow', () => {
  test('GIVEN jobs linked by needs WHEN rendered THEN keys are stable and uses carries its version comment', () => {
    const { app, wf } = workflow();
    wf.addJob('lint', { name: 'Lint', runsOn: 'docker', steps: [Step.uses('Check out', Actions.CHECKOUT), Step.run('Lint', 'make lint')] });
    wf.addJob('test', { name: 'Test', runsOn: 'docker', needs: ['lint'], steps: [Step.run('Test', 'make test', { env: { SHA: '${{ github.sha }}' } })] });
    expect(validationProblems(app)).toEqual([]);
    const yaml = wf.render();
    expect(yaml).toContain(`uses: https://data.forgejo.org/actions/checkout@${Actions.CHECKOUT.sha} # v4.2.2`);
    // No permissions: key: Forgejo ignores it (docs/SECURITY.md), so none is written to suggest otherwise.
    expect(Object.keys(wf.toJson())).toEqual(['name', 'on', 'jobs']);
    expect(Object.keys((wf.toJson().jobs as Record<string, object>).test)).toEqual(['name', 'runs-on', 'needs', 'timeout-minutes', 'steps']);
    expect(yaml).toMatchSnapshot();
  });

  test('GIVEN pull_request_target and issues triggers WHEN rendered THEN they take their Forgejo event names', () => {
    const app = Testing.app();
    const wf = new Workflow(app, 'wf', { name: 'x', outputPath: 'x.yaml', on: { pullRequestTarget: { branches: ['main'] }, issues: { types: ['opened'] } } });
    wf.addJob('a', { name: 'A', runsOn: 'docker', steps: [Step.run('x', 'true')] });
    expect(wf.toJson().on).toEqual({ pull_request_target: { branches: ['main'] }, issues: { types: ['opened'] } });
  });

  test.each([
    ['a need that names no job', (wf: Workflow) => wf.addJob('a', { name: 'A', runsOn: 'docker', needs: ['build'], steps: [Step.run('x', 'true')] }),
      "wf: 'jobs.a.needs' is 'build': names no job of this workflow; use one of: a"],
    ['a needs cycle', (wf: Workflow) => {
      wf.addJob('a', { name: 'A', runsOn: 'docker', needs: ['b'], steps: [Step.run('x', 'true')] });
      wf.addJob('b', { name: 'B', runsOn: 'docker', needs: ['a'], steps: [Step.run('x', 'true')] });
    }, "wf: 'jobs.*.needs' is 'a -> b -> a': the needs graph has a cycle, so none of these jobs can start; remove one of the needs"],
    ['an unclosed expression', (wf: Workflow) => wf.addJob('a', { name: 'A', runsOn: 'docker', steps: [Step.run('x', 'echo ${{ github.sha')] }),
      "wf: 'jobs.a.steps[0]' is 'echo ${{ github.sha': the value opens '${{' at '${{ github.sha' without closing '}}'"],
    ['a context not available at the key', (wf: Workflow) => wf.addJob('a', { name: 'A', runsOn: 'docker', if: "steps.x.outputs.y == 'z'", steps: [Step.run('x', 'true')] }),
      "wf: 'jobs.a.if' is 'steps.x.outputs.y == 'z'': the value uses context 'steps', which is not available in 'if'"],
    ['a job without steps', (wf: Workflow) => wf.addJob('a', { name: 'A', runsOn: 'docker', steps: [] }),
      "wf: 'jobs.a.steps' is []: a job needs at least one step; add a Step.run or Step.uses"],
  ])('GIVEN %s WHEN validated THEN the problem is reported', (_, build, message) => {
    const { app, wf } = workflow();
    build(wf);
    expect(validationProblems(app)).toEqual([expect.stringContaining(message)]);
  });

  test('GIVEN forge contexts in a step WHEN validated THEN they are accepted like github', () => {
    const { app, wf } = workflow();
    wf.addJob('a', { name: 'A', runsOn: 'docker', steps: [Step.run('x', 'echo "$URL"', { env: { URL: '${{ forge.server_url }}/${{ forgejo.repository }}' } })] });
    expect(validationProblems(app)).toEqual([]);
  });

  test('GIVEN bad job ids WHEN validated THEN each is reported with the fix', () => {
    const { app, wf } = workflow();
    wf.addJob('1st job', { name: 'A', runsOn: 'docker', steps: [Step.run('x', 'true')] });
    wf.addJob('a', { name: 'A', runsOn: 'docker', steps: [Step.run('x', 'true')] });
    wf.addJob('a', { name: 'A', runsOn: 'docker', steps: [Step.run('x', 'true')] });
    expect(validationProblems(app)).toEqual(expect.arrayContaining([
      "wf: 'jobs' is '1st job': a job id must start with a letter or _ and contain only letters, digits, - and _; rename it, e.g. 'st-job'",
      "wf: 'jobs' is 'a': job ids must be unique; rename one of the jobs",
    ]));
  });
});
