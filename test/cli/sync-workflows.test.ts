import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { syncWorkflowsCommand } from '../../cli/sync-workflows';
import { Fleet, SourceRepository, WorkflowDelivery } from '../../model';
import { fleet } from '../fixtures/fleet';
import { tempRepo } from '../helpers';

const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd, stdio: 'pipe' }).toString();

/** The bare repository behind each https URL the tests name. */
const bares = new Map<string, string>();

/**
 * Makes git fetch and push `url` at `target` (`url.<target>.insteadOf`, through GIT_CONFIG_COUNT), so the
 * command sees the https URL on the fleet's host it checks for, and the test needs no server.
 */
function redirect(url: string, target: string): void {
  const i = Number(process.env.GIT_CONFIG_COUNT ?? 0);
  process.env[`GIT_CONFIG_KEY_${i}`] = `url.${target}.insteadOf`;
  process.env[`GIT_CONFIG_VALUE_${i}`] = url;
  process.env.GIT_CONFIG_COUNT = String(i + 1);
  bares.set(url, target);
}

/** A bare repository with one commit on main, holding `files`, as its https URL on the fleet's Forgejo. */
function serviceRepo(files: Record<string, string> = { 'README.md': 'service\n' }): string {
  const bare = fs.mkdtempSync(path.join(os.tmpdir(), 'service-')) + '.git';
  git(os.tmpdir(), 'init', '--quiet', '--bare', '--initial-branch', 'main', bare);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'seed-'));
  git(work, 'init', '--quiet', '--initial-branch', 'main');
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(work, file)), { recursive: true });
    fs.writeFileSync(path.join(work, file), text);
  }
  git(work, 'add', '-A');
  git(work, 'commit', '--quiet', '-m', 'seed');
  git(work, 'push', '--quiet', bare, 'main');
  const url = `https://forgejo.example.com/shop/${path.basename(bare)}`;
  redirect(url, bare);
  return url;
}

/** The files of a branch of a service repository. */
const filesOn = (url: string, branch: string) => git(bares.get(url)!, 'ls-tree', '-r', '--name-only', branch).split('\n').filter(Boolean);
const commitsOn = (url: string, branch: string) => Number(git(bares.get(url)!, 'rev-list', '--count', branch).trim());

function fleetWith(repositories: Record<string, SourceRepository>): Fleet {
  return new Fleet({
    name: fleet.name, repoUrl: fleet.repoUrl, environments: [...fleet.environments],
    services: fleet.services.map(s => ({ ...s, sourceRepository: repositories[s.name] })),
  });
}

describe('sync-workflows', () => {
  test('GIVEN two service repositories WHEN synced twice THEN each gets its workflows once, by pull request branch or directly, and then there is nothing to do', async () => {
    const root = tempRepo();
    const [api, web] = [serviceRepo(), serviceRepo()];
    const synced = fleetWith({ api: { url: api, delivery: WorkflowDelivery.DIRECT }, web: { url: web } });

    expect((await syncWorkflowsCommand(synced, root, [])).split('\n')).toEqual([
      `api: committed 1 workflows to main of ${api}`,
      `web: pushed 1 workflows to infra/workflows of ${web}; open a pull request into main`,
    ]);
    expect(filesOn(api, 'main')).toEqual(['.forgejo/workflows/ci.yaml', 'README.md']);
    expect(git(bares.get(api)!, 'show', 'main:.forgejo/workflows/ci.yaml')).toBe(fs.readFileSync(path.join(root, 'dist/ci/api/ci.yaml'), 'utf-8'));
    expect(filesOn(web, 'main')).toEqual(['README.md']);
    expect(filesOn(web, 'infra/workflows')).toEqual(['.forgejo/workflows/ci.yaml', 'README.md']);

    expect((await syncWorkflowsCommand(synced, root, [])).split('\n')).toEqual([
      `api: up to date in ${api} (main)`,
      `web: up to date on infra/workflows of ${web}, waiting for its pull request`,
    ]);
    expect([commitsOn(api, 'main'), commitsOn(web, 'infra/workflows')]).toEqual([2, 2]);
  });

  test('GIVEN a workflow it did not write at the same path WHEN synced THEN it refuses, and pushes to no repository', async () => {
    const root = tempRepo();
    const api = serviceRepo();
    const web = serviceRepo({ '.forgejo/workflows/ci.yaml': 'name: hand-made\n' });
    const synced = fleetWith({ api: { url: api, delivery: WorkflowDelivery.DIRECT }, web: { url: web, delivery: WorkflowDelivery.DIRECT } });
    await expect(syncWorkflowsCommand(synced, root, [])).rejects.toThrow(
      `sync-workflows/web: '${web} .forgejo/workflows/ci.yaml' is 'not synthesized': is a workflow this command did not write, and it would replace it; rename or remove it in the service's repository, then sync again`,
    );
    expect([commitsOn(api, 'main'), commitsOn(web, 'main')]).toEqual([1, 1]);
  });

  test('GIVEN a workflow it wrote and no longer synthesizes WHEN synced THEN it is removed, and other files stay', async () => {
    const root = tempRepo();
    const api = serviceRepo({ '.forgejo/workflows/old.yaml': '# Synthesized by cdk8s from ci/api/Old; edit the TypeScript, not this file.\nname: old\n', 'src/app.py': 'print(1)\n' });
    await syncWorkflowsCommand(fleetWith({ api: { url: api, delivery: WorkflowDelivery.DIRECT } }), root, ['--service', 'api']);
    expect(filesOn(api, 'main')).toEqual(['.forgejo/workflows/ci.yaml', 'src/app.py']);
  });

  const existing = serviceRepo();
  const missing = 'https://forgejo.example.com/shop/missing.git';
  redirect(missing, '/nonexistent/api.git');
  test.each<[string, Record<string, SourceRepository>, string[], string]>([
    ['a service without a repository', {}, ['--service', 'api'], "sync-workflows: '--service' is 'api': has no sourceRepository in fleet.ts, so there is nowhere to push"],
    ['a repository that does not exist', { api: { url: missing } }, [], `sync-workflows/api: 'git clone' is '${missing}': failed: fatal: '/nonexistent/api.git' does not appear to be a git repository; check the url, the branch and the push credentials of the service's repository`],
    ['a branch the repository lacks', { api: { url: existing, branch: 'dev' } }, [], `sync-workflows/api: 'git clone' is '${existing}': failed: fatal: remote branch dev not found in upstream origin`],
    ['an empty repository url', { api: { url: '' } }, [], "fleet/services/api: 'sourceRepository.url' is '': must be the clone url of the service's repository"],
    ['an api without a token', { api: { url: existing } }, ['--api', 'http://127.0.0.1:1/api/v1'], "sync-workflows: 'FORGEJO_TOKEN' is unset: is required with --api, to open pull requests"],
  ])('GIVEN %s WHEN synced THEN one error line names the fix, and the repository is untouched', async (_, repositories, argv, message) => {
    await expect(async () => syncWorkflowsCommand(fleetWith(repositories), tempRepo(), argv, undefined)).rejects.toThrow(message);
    expect(commitsOn(existing, 'main')).toBe(1);
  });

  test('GIVEN no service names a repository WHEN synced THEN there is nothing to do', async () => {
    expect(await syncWorkflowsCommand(fleetWith({}), tempRepo(), [])).toBe('no service names a sourceRepository in fleet.ts: nothing to sync');
  });

  test('GIVEN the forgejo api and a token WHEN a pull-request delivery is pushed THEN the pull request is opened once, and not again while it is open', async () => {
    const root = tempRepo();
    const web = serviceRepo();
    const requests: string[] = [];
    let open: { number: number; head: { ref: string } }[] = [];
    const server = http.createServer((request, response) => {
      let text = '';
      request.on('data', chunk => (text += chunk));
      request.on('end', () => {
        requests.push(`${request.method} ${request.url} ${request.headers.authorization} ${text}`);
        if (request.method === 'POST') open = [{ number: 4, head: { ref: 'infra/workflows' } }];
        response.end(request.method === 'GET' ? JSON.stringify(open) : '{}');
      });
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const api = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
    try {
      // The repository's path names it on the api, like https://forgejo.example.com/shop/web.git.
      const synced = fleetWith({ web: { url: web } });
      const repo = web.replace(/\.git$/, '').split('/').slice(-2).join('/');
      expect((await syncWorkflowsCommand(synced, root, ['--api', api], 'pr-token')).split('\n')).toEqual([
        `web: pushed 1 workflows to infra/workflows of ${web}`,
        `web: opened a pull request from infra/workflows into main of ${repo}`,
      ]);
      expect(requests[1]).toMatch(new RegExp(`^POST /api/v1/repos/${repo}/pulls token pr-token \\{"head":"infra/workflows","base":"main","title":"Update CI workflows from the infra repo"`));
      expect((await syncWorkflowsCommand(synced, root, ['--api', api], 'pr-token')).split('\n')).toEqual([
        `web: up to date on infra/workflows of ${web}, waiting for its pull request`,
        'web: pull request #4 is open',
      ]);
      expect(requests.map(r => r.split(' ').slice(0, 2).join(' '))).toEqual([
        `GET /api/v1/repos/${repo}/pulls?state=open`, `POST /api/v1/repos/${repo}/pulls`, `GET /api/v1/repos/${repo}/pulls?state=open`,
      ]);
    } finally {
      await new Promise(resolve => server.close(resolve));
    }
  });

  test.each([
    ['an option in place of a url', '--upload-pack=./PWNED', '--upload-pack=./PWNED'],
    ['a path on disk', '/srv/git/api.git', '/srv/git/api.git'],
    ['plain http on the right host', 'http://forgejo.example.com/shop/api.git', 'http://forgejo.example.com/shop/api.git'],
    ['another host', 'https://127.0.0.1:8443/shop/api.git', 'https://127.0.0.1:8443/shop/api.git'],
    ['a look-alike host', 'https://forgejo.example.com.evil.test/shop/api.git', 'https://forgejo.example.com.evil.test/shop/api.git'],
  ])('GIVEN %s as the repository WHEN synced THEN it is refused before any git command, and nothing is cloned or pushed', async (_, url, shown) => {
    const root = tempRepo();
    const api = serviceRepo();
    const cwd = process.cwd();
    await expect(syncWorkflowsCommand(fleetWith({ api: { url: api, delivery: WorkflowDelivery.DIRECT }, web: { url } }), root, [], 'push-token')).rejects.toThrow(
      `sync-workflows/web: 'sourceRepository.url' is '${shown}': is not an https url on forgejo.example.com, the host of the infra repo (fleet.repoUrl), `
      + "the only host the push token is given to; write it like 'https://forgejo.example.com/shop/web.git'",
    );
    // Not even the valid repository was pushed to: every URL is checked first.
    expect(commitsOn(api, 'main')).toBe(1);
    expect(fs.existsSync(path.join(cwd, 'PWNED'))).toBe(false);
  });

  test('GIVEN a url with credentials in it WHEN synced THEN it is refused, and the message does not repeat them', async () => {
    const error = await syncWorkflowsCommand(fleetWith({ api: { url: 'https://bot:s3cret-token@forgejo.example.com/shop/api.git' } }), tempRepo(), []).catch((e: Error) => e);
    expect((error as Error).message).toBe(
      "sync-workflows/api: 'sourceRepository.url' is 'https://***@forgejo.example.com/shop/api.git': carries credentials, which would end up in logs and in the clone's config; "
      + "remove them: the sync job's credential helper gives git the token",
    );
    expect((error as Error).message).not.toContain('s3cret');
  });

  test('GIVEN a server on another host WHEN a repository names it THEN it receives no request and the token appears in no output', async () => {
    const requests: string[] = [];
    const server = http.createServer((request, response) => {
      requests.push(`${request.method} ${request.url} ${request.headers.authorization}`);
      response.statusCode = 401;
      response.setHeader('WWW-Authenticate', 'Basic realm="git"');
      response.end();
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/shop/api.git`;
      const error = await syncWorkflowsCommand(fleetWith({ api: { url } }), tempRepo(), ['--api', 'https://forgejo.example.com/api/v1'], 'push-token').catch((e: Error) => e);
      expect((error as Error).message).toContain(`sync-workflows/api: 'sourceRepository.url' is '${url}': is not an https url on forgejo.example.com`);
      expect((error as Error).message).not.toContain('push-token');
      expect(requests).toEqual([]);
    } finally {
      await new Promise(resolve => server.close(resolve));
    }
  });
});
