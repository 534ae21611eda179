import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as path from 'path';
import { Duration } from 'cdk8s';
import { publishReviewCommand, REVIEW_COMMENT_MARKER } from '../../cli/publish-review';
import { synthCommand } from '../../cli/synth';
import { Fleet } from '../../model';
import { fleet } from '../fixtures/fleet';
import { gitRepo } from '../helpers';

/** One request the fake Forgejo API received. */
interface Recorded {
  readonly method: string;
  readonly url: string;
  readonly authorization?: string;
  readonly body?: { body?: string; state?: string; context?: string; description?: string };
}

/**
 * A Forgejo API on loopback that records every request, answers the comment list with `comments` and
 * the attachment list with `attachments`, and gives an uploaded file the URL Forgejo would.
 */
async function fakeForgejo(comments: { id: number; body: string }[], attachments: { name: string; browser_download_url: string }[] = []) {
  const requests: Recorded[] = [];
  const uploads: { name: string; type: string; multipart: string }[] = [];
  const server = http.createServer((request, response) => {
    let text = '';
    request.on('data', chunk => (text += chunk));
    request.on('end', () => {
      const url = new URL(request.url!, 'http://x');
      const isForm = request.headers['content-type']?.startsWith('multipart/form-data;') ?? false;
      const body = text && !isForm ? JSON.parse(text) : undefined;
      requests.push({ method: request.method!, url: url.pathname, authorization: request.headers.authorization, body });
      response.setHeader('Content-Type', 'application/json');
      if (url.pathname.endsWith('/assets') && request.method === 'POST') {
        const name = url.searchParams.get('name')!;
        uploads.push({ name, type: /Content-Type: (\S+)/.exec(text)?.[1] ?? '', multipart: text });
        response.end(JSON.stringify({ name, browser_download_url: `https://forgejo.example.com/attachments/${uploads.length}` }));
      } else {
        response.end(request.method !== 'GET' ? '{}' : JSON.stringify(url.pathname.endsWith('/assets') ? attachments : comments));
      }
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const api = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
  return { api, requests, uploads, close: () => new Promise(resolve => server.close(resolve)) };
}

const loosened = new Fleet({
  name: fleet.name, repoUrl: fleet.repoUrl, environments: [...fleet.environments],
  services: fleet.services.map(s => (s.name === 'web' ? { ...s, overrides: { ...s.overrides, production: { ...s.overrides?.production, maxLatency: Duration.millis(900) } } } : s)),
});
const SHA = 'c'.repeat(40);

describe('review:publish', () => {
  test('GIVEN a pull request without our comment WHEN published THEN the review and plan are posted once and the status fails on the unapproved flag', async () => {
    const { root, editFleet } = gitRepo();
    editFleet();
    synthCommand(loosened, root, []);
    const forgejo = await fakeForgejo([{ id: 3, body: 'lgtm' }]);
    try {
      fs.writeFileSync(path.join(root, 'replay.md'), '# Replay\nall aborted in time\n');
      const argv = ['--base', 'main', '--api', forgejo.api, '--repo', 'platform/infra', '--pr', '12', '--sha', SHA, '--append', 'replay.md'];
      const output = await publishReviewCommand(loosened, root, argv, 'secret-token');
      expect(output).toBe('posted the review on platform/infra#12; status infra/review failure: needs review-approved: threshold-loosened');
      expect(forgejo.requests.map(r => `${r.method} ${r.url}`)).toEqual([
        'GET /api/v1/repos/platform/infra/issues/12/assets',
        ...Array(4).fill('POST /api/v1/repos/platform/infra/issues/12/assets'),
        'GET /api/v1/repos/platform/infra/issues/12/comments',
        'POST /api/v1/repos/platform/infra/issues/12/comments',
        `POST /api/v1/repos/platform/infra/statuses/${SHA}`,
      ]);
      expect(forgejo.requests.every(r => r.authorization === 'token secret-token')).toBe(true);
      const comment = forgejo.requests[6].body!.body!;
      // Each chart is attached and shown by its attachment URL: Forgejo would resolve a relative image against the repository.
      expect(forgejo.uploads.map(u => u.name)).toEqual(expect.arrayContaining([expect.stringMatching(/^production-api-[0-9a-f]{12}\.svg$/)]));
      expect(forgejo.uploads.every(u => u.type === 'image/svg+xml' && u.multipart.includes('name="attachment"') && u.multipart.includes('<svg'))).toBe(true);
      expect(comment).toMatch(/!\[production\/api\]\(https:\/\/forgejo\.example\.com\/attachments\/\d\)/);
      expect(comment).not.toMatch(/\]\([\w-]+\.svg\)/);
      expect(comment.startsWith(`${REVIEW_COMMENT_MARKER}\n# Review against main`)).toBe(true);
      expect(comment).toContain('- production/web: latency-p99 threshold 0.5 → 0.9 (looser)');
      expect(comment).toContain('<details><summary>Canary plan</summary>');
      expect(comment).toContain('<details><summary>replay.md</summary>\n\n# Replay\nall aborted in time\n\n</details>');
      expect(forgejo.requests[7].body).toEqual({ state: 'failure', context: 'infra/review', description: 'needs review-approved: threshold-loosened' });
    } finally {
      await forgejo.close();
    }
  });

  test('GIVEN our earlier comment and an approving trailer WHEN published again THEN that comment is edited and the status succeeds', async () => {
    const { root, git, editFleet } = gitRepo();
    editFleet();
    synthCommand(loosened, root, []);
    git('add', '-A');
    git('commit', '--quiet', '-m', 'looser\n\nreview-approved: threshold-loosened');
    const first = await fakeForgejo([]);
    let attached: { name: string; browser_download_url: string }[];
    try {
      await publishReviewCommand(loosened, root, ['--base', 'main', '--api', first.api, '--repo', 'platform/infra', '--pr', '12', '--sha', SHA], 'secret-token');
      attached = first.uploads.map((u, i) => ({ name: u.name, browser_download_url: `https://forgejo.example.com/attachments/${i + 1}` }));
    } finally {
      await first.close();
    }
    const forgejo = await fakeForgejo([{ id: 3, body: 'lgtm' }, { id: 9, body: `${REVIEW_COMMENT_MARKER}\nold review` }], attached);
    try {
      const output = await publishReviewCommand(loosened, root, ['--base', 'main', '--api', forgejo.api, '--repo', 'platform/infra', '--pr', '12', '--sha', SHA], 'secret-token');
      expect(output).toBe('updated the review on platform/infra#12; status infra/review success: no unapproved high-severity flag');
      // Unchanged charts are already attached: nothing is uploaded again.
      expect(forgejo.requests.map(r => `${r.method} ${r.url}`)).toEqual([
        'GET /api/v1/repos/platform/infra/issues/12/assets',
        'GET /api/v1/repos/platform/infra/issues/12/comments',
        'PATCH /api/v1/repos/platform/infra/issues/comments/9',
        `POST /api/v1/repos/platform/infra/statuses/${SHA}`,
      ]);
      expect(forgejo.requests[2].body!.body).toContain('](https://forgejo.example.com/attachments/');
      expect(forgejo.requests[3].body!.state).toBe('success');
    } finally {
      await forgejo.close();
    }
  });

  test.each([
    ['no token', [], undefined, "review:publish: 'FORGEJO_TOKEN' is unset: is required to comment and set the status"],
    ['a pull request that is not a number', ['--pr', 'x'], 't', "review:publish: '--pr' is 'x': must be a pull request number"],
    ['a report to append that is not there', ['--append', 'nope.md'], 't', "review:publish: '--append' is 'nope.md': names no file"],
    ['an api that refuses', ['--api', 'http://127.0.0.1:9/api/v1'], 't', "forgejo: 'GET http://127.0.0.1:9/api/v1/repos/platform/infra/issues/12/assets'"],
  ])('GIVEN %s WHEN published THEN one error line names the fix', async (_, override, token, message) => {
    const { root } = gitRepo();
    const argv = ['--base', 'main', '--api', 'http://127.0.0.1:1/api/v1', '--repo', 'platform/infra', '--pr', '12', '--sha', SHA, ...override];
    await expect(publishReviewCommand(fleet, root, argv, token)).rejects.toThrow(message);
  });
});
