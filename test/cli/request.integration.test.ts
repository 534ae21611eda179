import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as path from 'path';
import { requestCommand } from '../../cli/request';
import { fleet } from '../fixtures/fleet';
import { DIGEST, OTHER_DIGEST, ROOT, seededRemote } from '../helpers';

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

// The request workflow end to end: the push script around npm run request, a bare remote and a loopback
// Forgejo. It starts processes and pushes, so it runs with the integration tests.
describe('request, landed through the push script', () => {
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
});
