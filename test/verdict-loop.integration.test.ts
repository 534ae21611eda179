import { execFile, execFileSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { promoteCommand } from '../cli/promote';
import { releaseCommand } from '../cli/release';
import { synthFleet } from '../delivery/synth/synth-fleet';
import { autoPromoteFleet as fleet } from './fixtures/fleet';
import { renderGoTemplate } from './go-template';
import { DIGEST, OTHER_DIGEST, ROOT, tempRepo } from './helpers';

/**
 * The users of the stand-in's tokens. Forgejo takes `Authorization: token …` and acts as the token's
 * owner (services/auth/oauth2.go, `parseToken` and `userIDFromToken`); an unknown token is refused.
 */
const USERS: Readonly<Record<string, string>> = {
  // The notification Secret's token (write:issue only), the environment's verdictRequester.
  'issue-only-token': 'staging-rollouts-bot',
  // Anyone else who can open an issue in the infra repository.
  'mallory-token': 'mallory',
  // The request workflow's own token (secrets.GITHUB_TOKEN), which answers and closes the issue.
  'actions-token': 'forgejo-actions',
};

/** An issue the Forgejo stand-in holds, as its API gives it, with what was said on it. */
interface FiledIssue {
  readonly number: number;
  readonly title: string;
  readonly body: string;
  readonly created_at: string;
  readonly user: { readonly login: string };
  state: 'open' | 'closed';
  readonly comments: { readonly body: string; readonly login: string }[];
}

/** An issue as Forgejo's API and its `issues` event give it (modules/structs/issue.go `Issue`, the fields read here). */
const apiIssue = ({ number, title, body, created_at, user, state }: FiledIssue) => ({ number, title, body, created_at, user, state });

/**
 * A loopback stand-in for the few routes of Forgejo's API the loop uses (routers/api/v1/api.go, v13.0.5
 * l.1430-1460): `POST …/issues` (repo/issue.go `CreateIssue`: the poster is the token's user, the
 * creation time the server's), `POST …/issues/{index}/comments` (repo/issue_comment.go
 * `CreateIssueComment`) and `PATCH …/issues/{index}` with a state (repo/issue.go `EditIssue`, which
 * answers 201).
 */
async function forgejoStandIn(clock: () => Date) {
  const issues: FiledIssue[] = [];
  const prefix = '/api/v1/repos/platform/infra/issues';
  const server = http.createServer((request, response) => {
    // One request a connection: the synchronous commits between notifications outlast the server's keep-alive.
    response.setHeader('Connection', 'close');
    let text = '';
    request.on('data', chunk => { text += chunk; });
    request.on('end', () => {
      const reply = (status: number, body?: object) => {
        response.statusCode = status;
        response.end(body ? JSON.stringify(body) : undefined);
      };
      const [scheme, token] = String(request.headers.authorization).split(' ');
      const login = scheme === 'token' ? USERS[token] : undefined;
      if (!login) return reply(401);
      if (request.headers['content-type'] !== 'application/json') return reply(404);
      const fields = JSON.parse(text) as { title?: string; body?: string; state?: 'open' | 'closed' };
      const route = `${request.method} ${request.url}`;
      if (route === `POST ${prefix}` && fields.title && fields.body) {
        const issue: FiledIssue = {
          number: issues.length + 1, title: fields.title, body: fields.body, created_at: clock().toISOString(), user: { login }, state: 'open', comments: [],
        };
        issues.push(issue);
        return reply(201, apiIssue(issue));
      }
      const [, index, comments] = new RegExp(`^(?:POST|PATCH) ${prefix}/(\\d+)(/comments)?$`).exec(route) ?? [];
      const issue = issues[Number(index) - 1];
      if (!issue) return reply(404);
      if (request.method === 'POST' && comments && fields.body) {
        issue.comments.push({ body: fields.body, login });
        return reply(201, { id: issue.comments.length, body: fields.body });
      }
      // Only the poster or an issue writer may change the state (EditIssue); the stand-in knows one writer.
      if (request.method === 'PATCH' && !comments && fields.state && (login === issue.user.login || login === USERS['actions-token'])) {
        issue.state = fields.state;
        return reply(201, apiIssue(issue));
      }
      return reply(404);
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return { issues, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise(resolve => server.close(resolve)) };
}

/**
 * What the controller sends for `template` of a Rollout in staging: the synthesized ConfigMap's
 * service and template, the `$key`s replaced from the Secret (notifications-engine v0.5.0
 * pkg/api/config.go), the body rendered with the variables argo-rollouts sets (`rollout`, `analysisRuns`),
 * POSTed to the service's url (here on loopback). Someone else holding the rendered body posts it with
 * their own token: `token` stands for the Secret's.
 */
async function notify(root: string, origin: string, template: string, vars: object, token = 'issue-only-token'): Promise<void> {
  const configMap = YAML.parse(fs.readFileSync(path.join(root, 'dist/argocd/staging/notifications/configmap-argo-rollouts-notification-configmap.yaml'), 'utf-8'));
  const service = YAML.parse(configMap.data['service.webhook.infra-verdicts']) as { url: string; headers: { name: string; value: string }[] };
  const webhook = YAML.parse(configMap.data[`template.${template}`]).webhook['infra-verdicts'] as { method: string; body: string };
  const secret: Record<string, string> = { 'verdict-token': token };
  const headers = Object.fromEntries(service.headers.map(h => [h.name, h.value.replace(/[$][\w-]+/g, key => secret[key.slice(1)] ?? key)]));
  const url = new URL(service.url);
  const response = await fetch(`${origin}${url.pathname}`, { method: webhook.method, headers, body: renderGoTemplate(webhook.body, vars) });
  expect(response.status).toBe(201);
}

/** The variables of a Rollout `name` whose canary runs `image`, with its revision's AnalysisRuns. */
function varsOf(image: string, runs: { name: string; phase: string; metric: string; values: string[] }[], name = 'api') {
  return {
    rollout: { metadata: { name, namespace: 'shop-staging' }, spec: { template: { spec: { containers: [{ name, image }] } } } },
    analysisRuns: runs.map(r => ({
      metadata: { name: r.name },
      status: { phase: r.phase, metricResults: [{ name: r.metric, phase: r.phase, measurements: r.values.map(value => ({ value })) }] },
    })),
  };
}

/** A step of a synthesized workflow's job. */
interface WorkflowStep {
  readonly name: string;
  readonly if?: string;
  readonly run?: string;
  readonly env?: Record<string, string>;
}

/**
 * Runs a job of a synthesized workflow in `checkout`, as a runner would once the checkout and
 * `npm ci` steps are done: each `run` step in order with its `env` (its `${{ }}` expressions taken from
 * `context`), by bash as the runner's default shell (nektos/act pkg/model/workflow.go
 * `ShellCommand`: `bash --noprofile --norc -e -o pipefail {0}`); after a failed step only the
 * `if: always()` ones run. The `npm` on PATH runs this checkout's commands at `now` (test/workflow-npm.ts).
 */
async function runJob(
  checkout: string, workflow: string, job: string, now: Date, context: Record<string, string> = {},
): Promise<{ log: string; failed: boolean }> {
  const steps = (YAML.parse(fs.readFileSync(path.join(checkout, workflow), 'utf-8')).jobs[job].steps as WorkflowStep[])
    .filter(step => step.run !== undefined && step.run !== 'npm ci');
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'workflow-bin-'));
  const npm = [process.execPath, path.join(ROOT, 'scripts/run-ts.cjs'), path.join(ROOT, 'test/workflow-npm.ts')].map(a => JSON.stringify(a)).join(' ');
  fs.writeFileSync(path.join(bin, 'npm'), `#!/bin/sh\nexec ${npm} "$@"\n`, { mode: 0o755 });
  const evaluate = (value: string) => value.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, expression: string) => {
    if (!(expression in context)) throw new Error(`no value for \${{ ${expression} }} in ${workflow}`);
    return context[expression];
  });
  let log = '';
  let failed = false;
  for (const step of steps) {
    if (failed && step.if !== 'always()') continue;
    const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([key, value]) => [key, evaluate(value)]));
    // Asynchronously: the Forgejo stand-in the step calls answers from this process.
    const result = await new Promise<{ output: string; status: number }>(resolve => {
      execFile('bash', ['--noprofile', '--norc', '-e', '-o', 'pipefail', '-c', step.run!], {
        cwd: checkout, encoding: 'utf-8', env: { ...process.env, ...env, PATH: `${bin}:${process.env.PATH}`, INFRA_TEST_NOW: now.toISOString() },
      }, (error, stdout, stderr) => resolve({ output: `${stdout}${stderr}`, status: error ? Number(error.code ?? 1) : 0 }));
    });
    log += result.output;
    failed ||= result.status !== 0;
  }
  return { log, failed };
}

describe('the verdict loop', () => {
  test('GIVEN a release WHEN its canary aborts, then a fixed build completes and soaks THEN the revert lands with its trailers, the bad digest is refused, the scheduled job promotes the good one and forged verdicts change nothing', async () => {
    // A checkout of the infra repository with a bare remote, as the infra workflow has, synthesized from
    // the fixture fleet with autoPromote on staging (so its infra workflow promotes on a schedule).
    const root = tempRepo();
    synthFleet(fleet, root, { command: 'fixture' });
    fs.cpSync(path.join(ROOT, 'scripts'), path.join(root, 'scripts'), { recursive: true });
    const remote = fs.mkdtempSync(path.join(os.tmpdir(), 'infra-remote-'));
    const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=infra', '-c', 'user.email=infra@example.com', ...args], { cwd, stdio: 'pipe' }).toString();
    git(remote, 'init', '--quiet', '--bare', '--initial-branch', 'main');
    git(root, 'init', '--quiet', '--initial-branch', 'main');
    git(root, 'remote', 'add', 'origin', remote);
    git(root, 'add', '-A');
    git(root, 'commit', '--quiet', '-m', 'base');
    git(root, 'push', '--quiet', 'origin', 'HEAD:main');
    /** Commits what a command wrote with its output's trailers, and pushes, as scripts/commit-and-push.sh does. */
    const commitAndPush = (subject: string, output: string) => {
      const trailers = output.split('\n').filter(line => /^[A-Z][A-Za-z-]+: /.test(line));
      git(root, 'add', '-A');
      git(root, 'commit', '--quiet', '-m', subject, ...(trailers.length ? ['-m', trailers.join('\n')] : []));
      git(root, 'push', '--quiet', 'origin', 'HEAD:main');
    };
    /** The remote's main: its head, pins and verdicts. */
    const main = () => ({
      head: git(remote, 'rev-parse', 'main').trim(),
      staging: JSON.parse(git(remote, 'show', 'main:releases/staging.json')),
      production: JSON.parse(git(remote, 'show', 'main:releases/production.json')),
      verdicts: JSON.parse(git(remote, 'show', 'main:releases/staging.verdicts.json')) as Record<string, { image: string; outcome: string }[]>,
    });
    let clock = new Date('2026-12-03T09:00:00Z');
    const forgejo = await forgejoStandIn(() => clock);
    /**
     * The request workflow on the issue Forgejo holds as `number`: its `issues: opened` event
     * (modules/structs/hook.go `IssuePayload`, built by services/actions/notifier.go `NewIssue` with the
     * issue as the API gives it, its author the poster), the job's steps at the stand-in's time.
     */
    const requestWorkflow = (number: number) => {
      const issue = forgejo.issues[number - 1];
      // The job's `if`: only release requests and verdicts.
      expect(issue.title.startsWith('verdict: ')).toBe(true);
      const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'runner-temp-'));
      const event = path.join(temp, 'event.json');
      fs.writeFileSync(event, JSON.stringify({ action: 'opened', number, issue: apiIssue(issue), sender: issue.user, repository: { full_name: 'platform/infra' } }));
      return runJob(root, '.forgejo/workflows/requests.yaml', 'land', clock, {
        'github.event_path': event, 'runner.temp': temp, 'github.event.issue.number': String(number),
        'secrets.GITHUB_TOKEN': 'actions-token', 'github.server_url': forgejo.origin, 'github.repository': 'platform/infra',
      });
    };
    /** The answer on the last issue: the request workflow's comment, and the issue closed by it. */
    const answer = () => {
      const issue = forgejo.issues[forgejo.issues.length - 1];
      expect(issue.state).toBe('closed');
      expect(issue.comments.map(c => c.login)).toEqual(['forgejo-actions']);
      return issue.comments[0].body;
    };
    try {
      const stable = JSON.parse(fs.readFileSync(path.join(root, 'releases/staging.json'), 'utf-8')).api as string;
      // The stable image's canary completed once: the controller said so.
      await notify(root, forgejo.origin, 'infra-verdicts-completed', varsOf(stable, [{ name: 'api-5c8e6b-2', phase: 'Successful', metric: 'success-rate', values: ['[0.999]'] }]));
      expect((await requestWorkflow(1)).failed).toBe(false);

      // A release lands.
      const bad = `ghcr.io/acme/api@sha256:${DIGEST}`;
      commitAndPush('release', releaseCommand(fleet, root, ['--service', 'api', '--env', 'staging', '--image', bad]));

      // Its canary aborts: the notification arrives as a verdict request, whose time is Forgejo's.
      clock = new Date('2026-12-03T09:20:00Z');
      await notify(root, forgejo.origin, 'infra-verdicts-aborted', varsOf(bad, [{ name: 'api-6d9f7c-2', phase: 'Failed', metric: 'success-rate', values: ['[0.97]', '[0.81]'] }]));
      expect(forgejo.issues[1]).toMatchObject({ title: 'verdict: api aborted in staging', user: { login: 'staging-rollouts-bot' }, created_at: '2026-12-03T09:20:00.000Z' });
      const aborted = await requestWorkflow(2);
      expect(aborted.failed).toBe(false);
      expect(aborted.log).toContain('landed verdict request #2 from staging-rollouts-bot');
      expect(answer()).toMatch(/^Landed on main\.\n\n```text\nlanded verdict request #2 from staging-rollouts-bot\n/);

      // The revert lands on the remote with its trailers.
      expect(main().staging.api).toBe(stable);
      expect(git(remote, 'show', 'main:dist/staging/api/rollout-api.yaml')).toContain(`image: ${stable}`);
      const message = git(remote, 'log', '-1', '--format=%B', 'main');
      expect(message.split('\n')[0]).toBe('request #2');
      for (const trailer of ['Verdict: aborted', 'Analysis-Run: api-6d9f7c-2', 'Failed-Metric: success-rate', 'Metric-Value: [0.81]', `Quarantined: sha256:${DIGEST}`, `Reverted-To: ${stable}`]) {
        expect(message).toContain(trailer);
      }
      // Git reads them as trailers.
      expect(git(remote, 'log', '-1', '--format=%(trailers:key=Analysis-Run,valueonly)%(trailers:key=Failed-Metric,valueonly)', 'main').trim()).toBe('api-6d9f7c-2\nsuccess-rate');

      // A re-release and a promotion of that digest are refused.
      expect(() => releaseCommand(fleet, root, ['--service', 'api', '--env', 'staging', '--image', bad])).toThrow('is quarantined: AnalysisRun api-6d9f7c-2 failed it in staging');
      expect(() => releaseCommand(fleet, root, ['--service', 'api', '--env', 'production', '--image', bad])).toThrow('is quarantined: AnalysisRun api-6d9f7c-2 failed it in staging');

      // A fixed build is released; its canary completes with every analysis Successful.
      const good = `ghcr.io/acme/api@sha256:${OTHER_DIGEST}`;
      commitAndPush('release', releaseCommand(fleet, root, ['--service', 'api', '--env', 'staging', '--image', good]));
      clock = new Date('2026-12-03T09:40:00Z');
      await notify(root, forgejo.origin, 'infra-verdicts-completed', varsOf(good, [
        { name: 'api-7e0a8d-2', phase: 'Successful', metric: 'success-rate', values: ['[0.999]'] },
        { name: 'api-7e0a8d-1', phase: 'Successful', metric: 'success-rate', values: ['[0.998]'] },
      ]));
      const verified = await requestWorkflow(3);
      expect(verified.failed).toBe(false);
      expect(verified.log).toContain(`verified sha256:${OTHER_DIGEST} in staging at 2026-12-03T09:40:00.000Z: every AnalysisRun Successful (api-7e0a8d-2, api-7e0a8d-1)`);

      // Before its soak has passed a promotion by hand is refused and says until when, and the scheduled
      // job promotes nothing.
      clock = new Date('2026-12-03T09:55:00Z');
      expect(() => promoteCommand(fleet, root, ['--service', 'api', '--from', 'staging', '--to', 'production'], clock))
        .toThrow('its soak time of 30 minutes ends at 2026-12-03T10:10:00.000Z (in 15 minutes)');
      const before = main();
      const early = await runJob(root, '.forgejo/workflows/infra.yaml', 'auto-promote', clock);
      expect(early.failed).toBe(false);
      expect(early.log).toContain(`waiting: api staging → production: sha256:${OTHER_DIGEST} of api was verified in staging at 2026-12-03T09:40:00.000Z, and its soak time of 30 minutes ends at 2026-12-03T10:10:00.000Z (in 15 minutes)`);
      expect(early.log).toContain('commit-and-push: nothing changed, nothing to push');
      expect(main()).toEqual(before);

      // Once it has soaked, the scheduled job lands production's pin through the same commit and push.
      clock = new Date('2026-12-03T10:10:00Z');
      const scheduled = await runJob(root, '.forgejo/workflows/infra.yaml', 'auto-promote', clock);
      expect(scheduled.failed).toBe(false);
      expect(scheduled.log).toContain(`pinned api in production to ${good}`);
      expect(scheduled.log).toContain('commit-and-push: pushed on attempt 1');
      const promoted = main();
      expect(promoted.production).toEqual({ ...before.production, api: good });
      expect(promoted.staging).toEqual(before.staging);
      expect(git(remote, 'show', 'main:dist/production/api/rollout-api.yaml')).toContain(`image: ${good}`);
      expect(git(remote, 'log', '-1', '--format=%s %an', 'main').trim()).toBe('promote verified, soaked digests infra-delivery');

      // Forged verdicts change nothing: no pin moves, nothing more is quarantined, and the answer says why.
      clock = new Date('2026-12-03T10:30:00Z');
      const quarantined = () => Object.values(main().verdicts).flat().filter(r => r.outcome === 'quarantined').map(r => r.image);
      expect(quarantined()).toEqual([bad]);
      const failedRun = [{ name: 'api-7e0a8d-3', phase: 'Failed', metric: 'success-rate', values: ['[0.2]'] }];
      const refusals: [string, () => Promise<void>, string][] = [
        // Someone who is not the environment's verdictRequester files the abort of the promoted digest.
        ['a wrong requester', () => notify(root, forgejo.origin, 'infra-verdicts-aborted', varsOf(good, failedRun), 'mallory-token'),
          "error: verdict request: 'issue.user.login' is 'mallory': is not staging-rollouts-bot, the verdictRequester of staging; file verdicts only through the notifications of that environment"],
        // The requester's notification names a service the image is not of.
        ['a wrong service', () => notify(root, forgejo.origin, 'infra-verdicts-aborted', varsOf(good, failedRun, 'web')),
          `error: verdict request: 'image' is '${good}': is not from 'ghcr.io/acme/web', the imageRepository of service 'web'; release an image of that repository, or change 'imageRepository' in fleet.ts`],
        // … or a service the fleet does not have.
        ['an unknown service', () => notify(root, forgejo.origin, 'infra-verdicts-aborted', varsOf(good, failedRun, 'billing')),
          "error: fleet: 'service' is 'billing': is not a service of the fleet; use one of: api, web, or add it to fleet.ts"],
      ];
      for (const [forgery, file, error] of refusals) {
        await file();
        const handled = await requestWorkflow(forgejo.issues.length);
        expect([forgery, handled.failed]).toEqual([forgery, true]);
        expect(handled.log).toContain(error);
        expect(main()).toEqual(promoted);
        expect(answer()).toBe(`Refused: nothing changed.\n\n\`\`\`text\n${error}\n\`\`\`\n`);
      }

      // The requester's abort of a digest never pinned there is recorded as stale: no pin moves and
      // nothing is quarantined.
      const unknown = `ghcr.io/acme/api@sha256:${'f'.repeat(64)}`;
      await notify(root, forgejo.origin, 'infra-verdicts-aborted', varsOf(unknown, failedRun));
      const stale = await requestWorkflow(forgejo.issues.length);
      expect(stale.failed).toBe(false);
      const recorded = `recorded aborted of api in staging as stale: sha256:${'f'.repeat(64)} is not pinned there (${good} is); no pin changed`;
      expect(stale.log).toContain(recorded);
      const after = main();
      expect([after.staging, after.production]).toEqual([promoted.staging, promoted.production]);
      expect(after.verdicts.api.at(-1)).toMatchObject({ image: unknown, outcome: 'stale' });
      expect(quarantined()).toEqual([bad]);
      expect(git(remote, 'log', '-1', '--format=%(trailers:key=Verdict-Outcome,valueonly)', 'main').trim()).toBe('stale');
      expect(answer()).toContain(recorded);
    } finally {
      await forgejo.close();
    }
  }, 300_000);
});
