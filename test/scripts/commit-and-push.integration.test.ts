import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DIGEST, OTHER_DIGEST, ROOT, seededRemote } from '../helpers';

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf-8', stdio: 'pipe' }).trim();

/** A bare remote holding the fixture's releases/ and dist/ and this repo's scripts/, and two clones of it: two pipelines. */
function remoteWithTwoClones() {
  const { remote, seed, clone } = seededRemote('push-');
  const clones = ['one', 'two'].map(name => clone(name));
  return { remote, seed, clones };
}

/** The push script the service workflows run, with `npm run release` of this checkout, as a shell command. */
function releaseCommandLine(clone: string, service: string, image: string, build: string[] = []): string {
  const command = ['node', path.join(ROOT, 'scripts/run-ts.cjs'), path.join(ROOT, 'test/scripts/release-in.ts'), clone,
    '--service', service, '--env', 'staging', '--image', image, ...build];
  return `cd ${JSON.stringify(clone)} && PUSH_BACKOFF_MS=50 bash scripts/commit-and-push.sh ${JSON.stringify(`release ${service}`)} ${command.map(a => JSON.stringify(a)).join(' ')}`;
}

function release(clone: string, service: string, image: string): string {
  return execFileSync('bash', ['-c', `${releaseCommandLine(clone, service, image)} 2>&1`], { encoding: 'utf-8', stdio: 'pipe' });
}

/** A clone of `remote` as a pipeline's checkout. */
function pipelineClone(remote: string, name: string): string {
  const dir = path.join(path.dirname(remote), name);
  git(path.dirname(remote), 'clone', '--quiet', remote, dir);
  git(dir, 'config', 'user.name', name);
  git(dir, 'config', 'user.email', `${name}@example.invalid`);
  return dir;
}

/** Makes the other pipeline push first, between this clone's commit and its first push: the race. */
function loseTheFirstRace(clone: string, otherPipeline: string): void {
  const hook = path.join(clone, '.git/hooks/pre-push');
  const marker = path.join(clone, '.git/raced');
  fs.writeFileSync(hook, `#!/usr/bin/env bash\nif [ ! -e ${JSON.stringify(marker)} ]; then\n  touch ${JSON.stringify(marker)}\n  (unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE; ${otherPipeline}) >/dev/null\nfi\n`, { mode: 0o755 });
}

describe('scripts/commit-and-push.sh', () => {
  test('GIVEN two pipelines releasing at once WHEN the second push is rejected THEN it fetches, resets, releases again and both pins land', () => {
    const { remote, seed, clones: [one, two] } = remoteWithTwoClones();
    const api = `ghcr.io/acme/api@sha256:${DIGEST}`;
    const web = `ghcr.io/acme/web@sha256:${OTHER_DIGEST}`;
    // Pipeline one pushes its api pin while pipeline two has committed its web pin but not pushed.
    loseTheFirstRace(two, releaseCommandLine(one, 'api', api));
    const second = release(two, 'web', web);
    expect(second).toMatch(/push rejected \(attempt 1\); retrying on the new remote tip in \d+ ms/);
    expect(second).toContain('pushed on attempt 2');

    const check = path.join(path.dirname(remote), 'check');
    git(path.dirname(remote), 'clone', '--quiet', remote, check);
    const pins = JSON.parse(fs.readFileSync(path.join(check, 'releases/staging.json'), 'utf-8'));
    expect(pins).toEqual({ api, web });
    const changed = git(check, 'diff', '--name-only', git(seed, 'rev-parse', 'HEAD'), 'HEAD').split('\n').sort();
    expect(changed).toEqual(['dist/staging/api/rollout-api.yaml', 'dist/staging/web/rollout-web.yaml', 'releases/staging.json']);
    expect(git(check, 'log', '--format=%s', '-3').split('\n')).toEqual(['release web', 'release api', 'seed']);
  });

  test('GIVEN a command whose output ends with trailers WHEN pushed THEN the commit message carries them, and a release\'s carries none', () => {
    const { remote, clones: [one] } = remoteWithTwoClones();
    const command = 'echo reverted > note.txt; echo note.txt > "$INFRA_WRITTEN_FILES"; '
      + 'printf "reverted api in staging\\nsynthesized 8 files\\n\\nVerdict: aborted\\nAnalysis-Run: api-6d9f7c-2\\n"';
    const script = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'verdict-')), 'verdict.sh');
    fs.writeFileSync(script, command);
    execFileSync('bash', ['scripts/commit-and-push.sh', 'verdict api', 'bash', script], { cwd: one, stdio: 'pipe' });
    expect(git(remote, 'log', '-1', '--format=%B', 'main')).toBe('verdict api\n\nVerdict: aborted\nAnalysis-Run: api-6d9f7c-2');
    release(one, 'api', `ghcr.io/acme/api@sha256:${DIGEST}`);
    expect(git(remote, 'log', '-1', '--format=%B', 'main')).toBe('release api');
  });

  test('GIVEN a release that changes nothing WHEN pushed THEN nothing is committed', () => {
    const { clones: [one] } = remoteWithTwoClones();
    const current = JSON.parse(fs.readFileSync(path.join(one, 'releases/staging.json'), 'utf-8')).api;
    expect(release(one, 'api', current)).toContain('nothing changed, nothing to push');
  });

  test('GIVEN local changes WHEN pushed THEN the script refuses before touching them', () => {
    const { clones: [one] } = remoteWithTwoClones();
    fs.writeFileSync(path.join(one, 'releases/notes.txt'), 'mine\n');
    let output = '';
    try {
      release(one, 'api', `ghcr.io/acme/api@sha256:${DIGEST}`);
    } catch (e) {
      output = (e as { stdout: string }).stdout;
    }
    expect(output).toContain('commit-and-push: error: the working tree has local changes, which starting from the remote tip would discard:');
    expect(output).toContain('?? releases/notes.txt');
    expect(fs.readFileSync(path.join(one, 'releases/notes.txt'), 'utf-8')).toBe('mine\n');
  });

  test('GIVEN a server hook that refuses the push WHEN pushed THEN the script stops at once with the server\'s message, without retrying', () => {
    const { remote, clones: [one] } = remoteWithTwoClones();
    fs.writeFileSync(path.join(remote, 'hooks/pre-receive'), '#!/usr/bin/env bash\necho "policy: pins need a signed commit" >&2\nexit 1\n', { mode: 0o755 });
    let output = '';
    let status = 0;
    try {
      release(one, 'api', `ghcr.io/acme/api@sha256:${DIGEST}`);
    } catch (e) {
      output = (e as { stdout: string }).stdout;
      status = (e as { status: number }).status;
    }
    expect(status).toBe(1);
    expect(output).toContain('commit-and-push: error: the push was refused, and not because another pipeline pushed first; the server said:');
    expect(output).toContain('policy: pins need a signed commit');
    expect(output).toContain('fix what the server names (a hook, branch protection, credentials), then run the pipeline again');
    expect(output).not.toContain('retrying');
  });

  test('GIVEN eight pipelines releasing builds of two services at once WHEN all are done THEN every newest build lands and no older build replaces a newer one', async () => {
    const { remote } = remoteWithTwoClones();
    const digest = (service: string, i: number) => require('crypto').createHash('sha256').update(`${service}-${i}`).digest('hex');
    const pipelines = ['api', 'web'].flatMap(service => [0, 1, 2, 3].map(i => ({
      service, i, clone: pipelineClone(remote, `${service}-${i}`),
      image: `ghcr.io/acme/${service}@sha256:${digest(service, i)}`,
      build: ['--source-commit', digest(`commit-${service}`, i).slice(0, 40), '--built-at', `2026-11-27T10:0${i}:00Z`],
    })));
    const outcomes = await Promise.all(pipelines.map(p => new Promise<{ code: number; output: string }>(resolve => {
      const child = spawn('bash', ['-c', `${releaseCommandLine(p.clone, p.service, p.image, p.build)} 2>&1`], { stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', chunk => { output += chunk; });
      child.on('exit', code => resolve({ code: code ?? 1, output }));
    })));
    const check = pipelineClone(remote, 'check');
    const pins = JSON.parse(fs.readFileSync(path.join(check, 'releases/staging.json'), 'utf-8'));
    expect(pins).toEqual({ api: pipelines[3].image, web: pipelines[7].image });
    const builds = JSON.parse(fs.readFileSync(path.join(check, 'releases/staging.builds.json'), 'utf-8'));
    expect(builds.api.builtAt).toBe('2026-11-27T10:03:00Z');
    // Each pipeline pushed, or found a newer build of its service pinned first: both succeed.
    outcomes.forEach((outcome, n) => {
      const older = outcome.output.includes('nothing to release: a newer build is pinned');
      expect([n, outcome.code]).toEqual([n, 0]);
      if (older) expect(outcome.output).toContain('commit-and-push: nothing changed, nothing to push');
    });
    const history = git(check, 'log', '--format=%s').split('\n');
    expect(history.filter(s => s.startsWith('release')).length).toBe(outcomes.filter(o => o.output.includes('pushed on attempt')).length);
  }, 240_000);
});
