import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { requestCommand } from '../../cli/request';
import { VERDICT_ISSUE_MARKER } from '../../lib/rollout';
import { fleet } from '../fixtures/fleet';
import { ROOT, readTree, tempRepo } from '../helpers';

describe('request', () => {
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
