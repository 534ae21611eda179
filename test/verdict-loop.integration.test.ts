import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { promoteCommand } from '../cli/promote';
import { releaseCommand } from '../cli/release';
import { verdictFromRequest } from '../cli/verdict';
import { fleet } from './fixtures/fleet';
import { renderGoTemplate } from './go-template';
import { DIGEST, OTHER_DIGEST, tempRepo } from './helpers';

/** An issue the Forgejo stand-in holds, as its API gives it. */
interface FiledIssue {
  readonly title: string;
  readonly body: string;
  readonly created_at: string;
  readonly token: string;
}

/**
 * A loopback stand-in for Forgejo's `POST /api/v1/repos/{owner}/{repo}/issues` (routers/api/v1/api.go,
 * `CreateIssue`): it keeps each issue with the token that filed it and the time it says it was created.
 */
async function forgejoStandIn(clock: () => Date) {
  const issues: FiledIssue[] = [];
  const server = http.createServer((request, response) => {
    // One request a connection: the synchronous commits between notifications outlast the server's keep-alive.
    response.setHeader('Connection', 'close');
    let text = '';
    request.on('data', chunk => { text += chunk; });
    request.on('end', () => {
      if (request.method !== 'POST' || request.url !== '/api/v1/repos/platform/infra/issues' || request.headers['content-type'] !== 'application/json') {
        response.statusCode = 404;
        response.end();
        return;
      }
      const { title, body } = JSON.parse(text) as { title: string; body: string };
      issues.push({ title, body, created_at: clock().toISOString(), token: String(request.headers.authorization) });
      response.statusCode = 201;
      response.end(JSON.stringify({ number: issues.length }));
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return { issues, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise(resolve => server.close(resolve)) };
}

/**
 * What the controller sends for `trigger` of a Rollout in staging: the synthesized ConfigMap's
 * service and template, the `$key`s replaced from the Secret (notifications-engine v0.5.0
 * pkg/api/config.go), the body rendered with the variables argo-rollouts sets (`rollout`, `analysisRuns`),
 * POSTed to the service's url (here on loopback).
 */
async function notify(root: string, origin: string, template: string, vars: object): Promise<void> {
  const configMap = YAML.parse(fs.readFileSync(path.join(root, 'dist/argocd/staging/notifications/configmap-argo-rollouts-notification-configmap.yaml'), 'utf-8'));
  const service = YAML.parse(configMap.data['service.webhook.infra-verdicts']) as { url: string; headers: { name: string; value: string }[] };
  const webhook = YAML.parse(configMap.data[`template.${template}`]).webhook['infra-verdicts'] as { method: string; body: string };
  const secret: Record<string, string> = { 'verdict-token': 'issue-only-token' };
  const headers = Object.fromEntries(service.headers.map(h => [h.name, h.value.replace(/[$][\w-]+/g, key => secret[key.slice(1)] ?? key)]));
  const url = new URL(service.url);
  const response = await fetch(`${origin}${url.pathname}`, { method: webhook.method, headers, body: renderGoTemplate(webhook.body, vars) });
  expect(response.status).toBe(201);
}

/** The variables of a Rollout `api` whose canary runs `image`, with its revision's AnalysisRuns. */
function varsOf(image: string, runs: { name: string; phase: string; metric: string; values: string[] }[]) {
  return {
    rollout: { metadata: { name: 'api', namespace: 'shop-staging' }, spec: { template: { spec: { containers: [{ name: 'api', image }] } } } },
    analysisRuns: runs.map(r => ({
      metadata: { name: r.name },
      status: { phase: r.phase, metricResults: [{ name: r.metric, phase: r.phase, measurements: r.values.map(value => ({ value })) }] },
    })),
  };
}

describe('the verdict loop', () => {
  test('GIVEN a release WHEN its canary aborts, then a fixed build completes and soaks THEN the revert lands with its trailers, the bad digest is refused and the good one is promoted', async () => {
    // A checkout of the infra repository with a bare remote, as the infra workflow has.
    const root = tempRepo();
    const remote = fs.mkdtempSync(path.join(os.tmpdir(), 'infra-remote-'));
    const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=infra', '-c', 'user.email=infra@example.com', ...args], { cwd, stdio: 'pipe' }).toString();
    git(remote, 'init', '--quiet', '--bare', '--initial-branch', 'main');
    git(root, 'init', '--quiet', '--initial-branch', 'main');
    git(root, 'remote', 'add', 'origin', remote);
    git(root, 'add', '-A');
    git(root, 'commit', '--quiet', '-m', 'base');
    /** Commits what a command wrote with its output's trailers, and pushes, as scripts/commit-and-push.sh does. */
    const commitAndPush = (subject: string, output: string) => {
      const trailers = output.split('\n').filter(line => /^[A-Z][A-Za-z-]+: /.test(line));
      git(root, 'add', '-A');
      git(root, 'commit', '--quiet', '-m', subject, ...(trailers.length ? ['-m', trailers.join('\n')] : []));
      git(root, 'push', '--quiet', 'origin', 'HEAD:main');
    };
    let clock = new Date('2026-12-03T09:00:00Z');
    const forgejo = await forgejoStandIn(() => clock);
    try {
      const stable = JSON.parse(fs.readFileSync(path.join(root, 'releases/staging.json'), 'utf-8')).api as string;
      // The stable image's canary completed once: the controller said so.
      await notify(root, forgejo.origin, 'infra-verdicts-completed', varsOf(stable, [{ name: 'api-5c8e6b-2', phase: 'Successful', metric: 'success-rate', values: ['[0.999]'] }]));
      commitAndPush('verdict', verdictFromRequest(fleet, root, { body: forgejo.issues[0].body, createdAt: forgejo.issues[0].created_at }, clock));

      // A release lands.
      const bad = `ghcr.io/acme/api@sha256:${DIGEST}`;
      commitAndPush('release', releaseCommand(fleet, root, ['--service', 'api', '--env', 'staging', '--image', bad]));

      // Its canary aborts: the notification arrives as a verdict request, whose time is Forgejo's.
      clock = new Date('2026-12-03T09:20:00Z');
      await notify(root, forgejo.origin, 'infra-verdicts-aborted', varsOf(bad, [{ name: 'api-6d9f7c-2', phase: 'Failed', metric: 'success-rate', values: ['[0.97]', '[0.81]'] }]));
      const request = forgejo.issues[1];
      expect(request.title).toBe('verdict: api aborted in staging');
      expect(request.token).toBe('token issue-only-token');
      commitAndPush('verdict', verdictFromRequest(fleet, root, { body: request.body, createdAt: request.created_at }, clock));

      // The revert lands on the remote with its trailers.
      expect(JSON.parse(git(remote, 'show', 'main:releases/staging.json')).api).toBe(stable);
      expect(git(remote, 'show', 'main:dist/staging/api/rollout-api.yaml')).toContain(`image: ${stable}`);
      const message = git(remote, 'log', '-1', '--format=%B', 'main');
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
      commitAndPush('verdict', verdictFromRequest(fleet, root, { body: forgejo.issues[2].body, createdAt: forgejo.issues[2].created_at }, clock));
      const promote = (now: string) => promoteCommand(fleet, root, ['--service', 'api', '--from', 'staging', '--to', 'production'], new Date(now));
      // Before its soak has passed the promotion waits, and says until when; after, it lands.
      expect(() => promote('2026-12-03T09:55:00Z')).toThrow('its soak time of 30 minutes ends at 2026-12-03T10:10:00.000Z (in 15 minutes)');
      commitAndPush('promote', promote('2026-12-03T10:10:00Z'));
      expect(JSON.parse(git(remote, 'show', 'main:releases/production.json')).api).toBe(good);
    } finally {
      await forgejo.close();
    }
  });
});
