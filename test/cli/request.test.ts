import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { requestCommand } from '../../cli/request';
import { VERDICT_ISSUE_MARKER } from '../../lib/rollout';
import { fleet } from '../fixtures/fleet';
import { DIGEST, OTHER_DIGEST, ROOT, readTree, seededRemote, tempRepo } from '../helpers';

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf-8', stdio: 'pipe' }).trim();
const COMMIT = 'c'.repeat(40);

/** A bare infra remote seeded with the fixture's releases/ and dist/ and this repo's scripts, and the request workflow's checkout of it. */
function infraRemote() {
  const { base, remote, clone } = seededRemote('request-');
  const checkout = clone('forgejo-actions', 'forgejo-actions@noreply.invalid');
  /** The remote's main: its head and the staging pins. */
  const main = () => ({ head: git(remote, 'rev-parse', 'main'), pins: JSON.parse(git(remote, 'show', 'main:releases/staging.json')) });
  return { base, checkout, main };
}

/** An `issues` event payload as Forgejo writes it (modules/structs/hook.go IssuePayload), with the request as its body. */
function event(base: string, login: string, request: Record<string, string>, title = `release ${request.service} ${request.environment}`): string {
  const file = path.join(base, `event-${Math.random().toString(36).slice(2)}.json`);
  const body = `Release request from the service pipeline.\n\n\`\`\`json\n${JSON.stringify(request)}\n\`\`\`\n`;
  fs.writeFileSync(file, JSON.stringify({ action: 'opened', number: 7, issue: { number: 7, title, body, user: { login } }, sender: { login } }));
  return file;
}

const apiRequest = (digest: string, builtAt = '2026-11-27T10:00:00Z') => ({
  service: 'api', environment: 'staging', image: `ghcr.io/acme/api@sha256:${digest}`, sourceCommit: COMMIT, builtAt,
});

/** The workflow's landing step: the push script around `npm run request`, its output as the workflow's log. */
function land(checkout: string, eventFile: string): { log: string; failed: boolean } {
  const command = ['node', path.join(ROOT, 'scripts/run-ts.cjs'), path.join(ROOT, 'test/cli/request-in.ts'), checkout, '--event', eventFile];
  const line = `cd ${JSON.stringify(checkout)} && bash scripts/commit-and-push.sh "release request" ${command.map(a => JSON.stringify(a)).join(' ')} 2>&1`;
  try {
    return { log: execFileSync('bash', ['-c', line], { encoding: 'utf-8', stdio: 'pipe' }), failed: false };
  } catch (e) {
    return { log: (e as { stdout: string }).stdout, failed: true };
  }
}

/** A Forgejo API on loopback that records every call. */
async function fakeForgejo() {
  const calls: { method: string; url: string; authorization?: string; body: { body?: string; state?: string } }[] = [];
  const server = http.createServer((request, response) => {
    let text = '';
    request.on('data', chunk => (text += chunk));
    request.on('end', () => {
      calls.push({ method: request.method!, url: request.url!, authorization: request.headers.authorization, body: JSON.parse(text || '{}') });
      response.statusCode = 201;
      response.setHeader('Content-Type', 'application/json');
      response.end('{}');
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const api = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
  return { api, calls, close: () => new Promise(resolve => server.close(resolve)) };
}

/** The workflow's answering step, against the loopback API: the comment it posted. */
async function answer(base: string, eventFile: string, log: string) {
  const forgejo = await fakeForgejo();
  const logFile = path.join(base, 'request.log');
  fs.writeFileSync(logFile, log);
  try {
    const output = await requestCommand(fleet, base, ['--event', eventFile, '--answer', logFile, '--api', forgejo.api, '--repo', 'platform/infra'], new Date(), 'infra-token');
    expect(forgejo.calls.map(c => `${c.method} ${c.url}`)).toEqual(['POST /api/v1/repos/platform/infra/issues/7/comments', 'PATCH /api/v1/repos/platform/infra/issues/7']);
    expect(forgejo.calls[1].body).toEqual({ state: 'closed' });
    expect(forgejo.calls.every(c => c.authorization === 'token infra-token')).toBe(true);
    return { output, comment: forgejo.calls[0].body.body! };
  } finally {
    await forgejo.close();
  }
}

describe('request', () => {
  test('GIVEN a valid request from the service bot WHEN handled THEN the pin lands on the remote and the issue is answered and closed', async () => {
    const { base, checkout, main } = infraRemote();
    const before = main();
    const eventFile = event(base, 'api-release-bot', apiRequest(DIGEST));
    const start = process.hrtime.bigint();
    const { log, failed } = land(checkout, eventFile);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    expect(failed).toBe(false);
    expect(log).toContain(`landed release request #7 from api-release-bot\npinned api in staging to ghcr.io/acme/api@sha256:${DIGEST}`);
    expect(log).toContain('commit-and-push: pushed on attempt 1');
    const after = main();
    expect(after.head).not.toBe(before.head);
    expect(after.pins).toEqual({ ...before.pins, api: `ghcr.io/acme/api@sha256:${DIGEST}` });
    // From the payload on disk to the commit on the remote: the handler's whole latency (README, "Releases arrive as requests").
    process.stdout.write(`request handled, payload to pushed commit: ${ms.toFixed(0)} ms\n`);
    expect(ms).toBeLessThan(30_000);

    const { output, comment } = await answer(base, eventFile, log);
    expect(output).toBe('answered and closed platform/infra#7: Landed on main.');
    expect(comment).toMatch(/^Landed on main\.\n\n```text\nlanded release request #7 from api-release-bot\n/);
  });

  test.each([
    ['a forged requester', 'mallory', apiRequest(DIGEST), "error: request: 'requester' is 'mallory': is not 'api-release-bot', the releaseRequester of service 'api'; only the service pipeline's bot user may request its releases; release by hand with npm run release"],
    ['a foreign image', 'api-release-bot', { ...apiRequest(DIGEST), image: `ghcr.io/evil/api@sha256:${DIGEST}` }, `error: request: 'image' is 'ghcr.io/evil/api@sha256:${DIGEST}': is not from 'ghcr.io/acme/api', the imageRepository of service 'api'`],
    ['a build from the future', 'api-release-bot', apiRequest(DIGEST, '2999-01-01T00:00:00Z'), "error: request: 'builtAt' is '2999-01-01T00:00:00Z': is in the future (now is "],
  ])('GIVEN %s WHEN handled THEN it is refused, the remote is unchanged and the answer quotes the error', async (_, login, request, message) => {
    const { base, checkout, main } = infraRemote();
    const before = main();
    const eventFile = event(base, login, request);
    const { log, failed } = land(checkout, eventFile);
    expect(failed).toBe(true);
    expect(log).toContain(message);
    expect(main()).toEqual(before);
    expect(git(checkout, 'status', '--porcelain')).toBe('');
    const { comment } = await answer(base, eventFile, log);
    expect(comment).toContain(`Refused: nothing changed.\n\n\`\`\`text\n${message}`);
  });

  test('GIVEN the pinned image requested again WHEN handled THEN it is a duplicate: nothing is pushed and the note says why', () => {
    const { base, checkout, main } = infraRemote();
    const before = main();
    const pinned = before.pins.api as string;
    const { log, failed } = land(checkout, event(base, 'api-release-bot', { ...apiRequest(DIGEST), image: pinned }));
    expect(failed).toBe(false);
    expect(log).toContain(`note: api in staging already runs ${pinned}: nothing to release`);
    expect(log).toContain('commit-and-push: nothing changed, nothing to push');
    expect(main()).toEqual(before);
  });

  test('GIVEN a newer build landed WHEN an older build is requested THEN it is stale: nothing changes and it exits 0', () => {
    const { base, checkout, main } = infraRemote();
    expect(land(checkout, event(base, 'api-release-bot', apiRequest(DIGEST, '2026-11-27T10:05:00Z'))).failed).toBe(false);
    const before = main();
    const { log, failed } = land(checkout, event(base, 'api-release-bot', apiRequest(OTHER_DIGEST, '2026-11-27T10:01:00Z')));
    expect(failed).toBe(false);
    expect(log).toContain(`nothing to release: a newer build is pinned (api in staging: commit ${COMMIT}, built at 2026-11-27T10:05:00Z)`);
    expect(main()).toEqual(before);
  });

  test.each([
    ['no --event', [], "request: '--event' is unset: is required; usage: npm run request -- --event FILE"],
    ['an event file that is not json', ['--event', __filename], "request: '--event' is '" + __filename + "': is no readable json"],
    ['--answer without --api', ['--event', path.join(ROOT, 'package.json'), '--answer', 'x.log'], "request: '--api' is unset: is required"],
  ])('GIVEN %s WHEN run THEN it fails with the usage', async (_, argv, message) => {
    await expect(requestCommand(fleet, tempRepo(), argv)).rejects.toThrow(message);
  });

  test('GIVEN --answer without a token WHEN run THEN it says where the token comes from', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'request-')), 'event.json');
    fs.writeFileSync(file, JSON.stringify({ issue: { number: 3 } }));
    await expect(requestCommand(fleet, tempRepo(), ['--event', file, '--answer', 'x.log', '--api', 'https://forgejo.example.com/api/v1', '--repo', 'platform/infra'], new Date(), ''))
      .rejects.toThrow("request: 'FORGEJO_TOKEN' is unset: is required to answer the request; set it from ${{ secrets.GITHUB_TOKEN }}, the infra repo's own token");
  });

  describe('verdict issues', () => {
    const IMAGE = 'ghcr.io/acme/api:2.0.1@sha256:' + 'c'.repeat(64);
    const body = (env: string) => [VERDICT_ISSUE_MARKER, `environment: ${env}`, 'service: api', 'verdict: completed', `image: ${IMAGE}`, 'analysis-run: api-7 Successful', ''].join('\n');
    const verdictEvent = (env: string, login: string) => {
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'verdict-')), 'event.json');
      fs.writeFileSync(file, JSON.stringify({ action: 'opened', issue: { number: 8, title: `verdict: api completed in ${env}`, body: body(env), created_at: '2026-12-03T09:00:00Z', user: { login } } }));
      return file;
    };
    const NOW = new Date('2026-12-03T10:00:00Z');

    test('GIVEN a verdict issue from the environment\'s verdictRequester WHEN landed THEN it is recorded at the time Forgejo gave the issue', async () => {
      const root = tempRepo();
      const output = await requestCommand(fleet, root, ['--event', verdictEvent('staging', 'staging-rollouts-bot')], NOW);
      expect(output.split('\n')[0]).toBe('landed verdict request #8 from staging-rollouts-bot');
      expect(fs.readFileSync(path.join(root, 'releases/staging.verdicts.json'), 'utf-8')).toContain('2026-12-03T09:00:00.000Z');
    });

    test.each([
      ['someone else', 'staging', 'mallory', "verdict request: 'issue.user.login' is 'mallory': is not staging-rollouts-bot, the verdictRequester of staging; file verdicts only through the notifications of that environment"],
      ['an environment that trusts no verdict issue', 'production', 'staging-rollouts-bot',
        "verdict request: 'environment' is 'production': names no verdictRequester in fleet.ts, so no verdict issue is trusted; set verdictRequester of production to the login of the bot whose token the notification Secret holds"],
    ])('GIVEN a verdict issue from %s WHEN landed THEN it is refused and nothing changes', async (_, env, login, message) => {
      const root = tempRepo();
      const before = readTree(root);
      await expect(requestCommand(fleet, root, ['--event', verdictEvent(env, login)], NOW)).rejects.toThrow(message);
      expect(readTree(root)).toEqual(before);
    });
  });
});
