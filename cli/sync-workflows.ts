import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ForgejoClient } from '../delivery/forgejo/forgejo-client';
import { Problem, fail, failAll } from '../lib/errors';
import { SYNTHESIZED_MARKER } from '../lib/forgejo';
import { Fleet, ServiceDefinition, WORKFLOW_BRANCH, WorkflowDelivery } from '../model';
import { Layout } from '../model/layout';
import { Command, parseFlags } from './support/command';

const USAGE = 'npm run sync-workflows [-- --service NAME] [--api URL]   (token for pull requests in FORGEJO_TOKEN)';
/** Where Forgejo Actions reads a repository's workflows. */
const WORKFLOWS = '.forgejo/workflows';

/** One service's repository, cloned and brought up to date, ready to push. */
interface Prepared {
  readonly service: string;
  readonly work: string;
  /** The refspec to push, or undefined when the repository is up to date. */
  readonly push?: string;
  readonly message: string;
  /** The branch a pull request of `infra/workflows` goes into, for a pull-request delivery. */
  readonly pullInto?: string;
  readonly url: string;
}

/**
 * `npm run sync-workflows`: makes `.forgejo/workflows/` of each service's repository (`sourceRepository`
 * in fleet.ts) equal to its synthesized `dist/ci/<service>/`, as a commit on `infra/workflows` for a pull
 * request or straight onto its branch. It writes only files that carry the synthesis marker and refuses
 * to replace one that does not; it pushes nothing at all when any repository is refused, and nothing
 * to a repository that is up to date. With `--api` and FORGEJO_TOKEN it opens the pull request too,
 * unless one from `infra/workflows` is open already.
 */
export async function syncWorkflowsCommand(fleet: Fleet, root: string, argv: string[], token = process.env.FORGEJO_TOKEN): Promise<string> {
  const flags = parseFlags(argv, { service: 'string', api: 'string' }, USAGE);
  if (flags.api !== undefined && !token) {
    fail({ at: 'sync-workflows', field: 'FORGEJO_TOKEN', value: undefined, rule: 'is required with --api, to open pull requests', fix: 'set it to a token that may open pull requests in the service repositories' });
  }
  const services = flags.service === undefined ? fleet.services.filter(s => s.sourceRepository) : [fleet.service(flags.service, '--service')];
  for (const service of services.filter(s => !s.sourceRepository)) {
    fail({ at: 'sync-workflows', field: '--service', value: service.name, rule: 'has no sourceRepository in fleet.ts, so there is nowhere to push', fix: `add sourceRepository: { url: '...' } to service '${service.name}'` });
  }
  if (services.length === 0) return 'no service names a sourceRepository in fleet.ts: nothing to sync';
  // Every URL is checked before any is cloned: git hands the push token to whatever host a URL names.
  failAll(services.flatMap(s => urlProblems(fleet, s)));
  const prepared: Prepared[] = [];
  const problems: Problem[] = [];
  try {
    for (const service of services) {
      const result = prepare(root, fleet, service);
      if ('problems' in result) problems.push(...result.problems);
      else prepared.push(result);
    }
    failAll(problems);
    const lines: string[] = [];
    for (const p of prepared) {
      if (p.push) git(p.work, ['push', '--quiet', '--force-with-lease', 'origin', p.push], p.service);
      const hint = p.pullInto && p.push && flags.api === undefined ? `; open a pull request into ${p.pullInto}` : '';
      lines.push(`${p.service}: ${p.message}${hint}`);
      if (p.pullInto && flags.api !== undefined) lines.push(`${p.service}: ${await openPullRequest(new ForgejoClient(flags.api, repositoryOf(p.url), token!), p.pullInto, fleet)}`);
    }
    return lines.join('\n');
  } finally {
    for (const p of prepared) fs.rmSync(p.work, { recursive: true, force: true });
  }
}

function prepare(root: string, fleet: Fleet, service: ServiceDefinition): Prepared | { problems: Problem[] } {
  const repository = service.sourceRepository!;
  const branch = repository.branch ?? 'main';
  const direct = repository.delivery === WorkflowDelivery.DIRECT;
  const source = path.join(root, Layout.serviceCi(service.name));
  if (!fs.existsSync(source)) {
    fail({ at: 'sync-workflows', field: Layout.serviceCi(service.name), value: 'missing', rule: 'holds no synthesized workflows', fix: 'run npm run synth first' });
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `sync-${service.name}-`));
  // After `--`, a URL is never read as an option (`--upload-pack=...`).
  git(work, ['clone', '--quiet', '--branch', branch, '--', repository.url, '.'], service.name, repository.url);
  const target = path.join(work, WORKFLOWS);
  const wanted = new Map(fs.readdirSync(source).filter(f => /\.ya?ml$/.test(f)).map(f => [f, fs.readFileSync(path.join(source, f), 'utf-8')]));
  const present = fs.existsSync(target) ? fs.readdirSync(target).filter(f => /\.ya?ml$/.test(f)) : [];
  const ours = (file: string) => fs.readFileSync(path.join(target, file), 'utf-8').startsWith(SYNTHESIZED_MARKER);
  const foreign = present.filter(file => wanted.has(file) && !ours(file));
  if (foreign.length) {
    fs.rmSync(work, { recursive: true, force: true });
    return { problems: foreign.map(file => ({
      at: `sync-workflows/${service.name}`, field: `${repository.url} ${WORKFLOWS}/${file}`, value: 'not synthesized',
      rule: 'is a workflow this command did not write, and it would replace it', fix: 'rename or remove it in the service\'s repository, then sync again',
    })) };
  }
  if (!direct) git(work, ['checkout', '--quiet', '-B', WORKFLOW_BRANCH], service.name);
  fs.mkdirSync(target, { recursive: true });
  // Workflows it wrote before and no longer synthesizes are its own to remove.
  for (const file of present.filter(f => !wanted.has(f) && ours(f))) fs.rmSync(path.join(target, file));
  for (const [file, text] of wanted) fs.writeFileSync(path.join(target, file), text);
  git(work, ['add', '-A', WORKFLOWS], service.name);
  const url = repository.url;
  if (git(work, ['status', '--porcelain'], service.name).trim() === '') return { service: service.name, work, url, message: `up to date in ${url} (${branch})` };
  git(work, ['-c', 'user.name=infra-delivery', '-c', 'user.email=infra-delivery@localhost', 'commit', '--quiet', '-m', `Update workflows from ${fleet.repoUrl}`], service.name);
  if (direct) return { service: service.name, work, url, push: `HEAD:${branch}`, message: `committed ${wanted.size} workflows to ${branch} of ${url}` };
  // The branch from an earlier sync may hold these workflows already.
  const pushed = git(work, ['ls-remote', 'origin', `refs/heads/${WORKFLOW_BRANCH}`], service.name).trim() !== ''
    && gitSucceeds(work, ['fetch', '--quiet', 'origin', WORKFLOW_BRANCH]) && gitSucceeds(work, ['diff', '--quiet', 'FETCH_HEAD', 'HEAD', '--', WORKFLOWS]);
  if (pushed) return { service: service.name, work, url, pullInto: branch, message: `up to date on ${WORKFLOW_BRANCH} of ${url}, waiting for its pull request` };
  return { service: service.name, work, url, pullInto: branch, push: `+HEAD:refs/heads/${WORKFLOW_BRANCH}`, message: `pushed ${wanted.size} workflows to ${WORKFLOW_BRANCH} of ${url}` };
}

/**
 * The problems of a service repository's URL: it must be https on the host of the infra repo
 * (`fleet.repoUrl`), the one host the credential helper answers, and carry no credentials of its own.
 * A URL with credentials is quoted without them.
 */
function urlProblems(fleet: Fleet, service: ServiceDefinition): Problem[] {
  const url = service.sourceRepository!.url;
  const host = new URL(fleet.repoUrl).host;
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  const shown = parsed && (parsed.username || parsed.password) ? `${parsed.protocol}//***@${parsed.host}${parsed.pathname}` : url;
  const problem = (rule: string, fix: string): Problem[] => [{ at: `sync-workflows/${service.name}`, field: 'sourceRepository.url', value: shown, rule, fix }];
  if (parsed?.protocol !== 'https:' || parsed.host !== host) {
    return problem(`is not an https url on ${host}, the host of the infra repo (fleet.repoUrl), the only host the push token is given to`, `write it like 'https://${host}/shop/${service.name}.git'`);
  }
  if (parsed.username || parsed.password) {
    return problem('carries credentials, which would end up in logs and in the clone\'s config', 'remove them: the sync job\'s credential helper gives git the token');
  }
  return [];
}

/** Opens the pull request of `infra/workflows` into `base`, unless one is open. */
async function openPullRequest(client: ForgejoClient, base: string, fleet: Fleet): Promise<string> {
  const open = (await client.listOpenPullRequests()).find(p => p.head.ref === WORKFLOW_BRANCH);
  if (open) return `pull request #${open.number} is open`;
  await client.createPullRequest({
    head: WORKFLOW_BRANCH, base, title: 'Update CI workflows from the infra repo',
    body: `The workflows synthesized in ${fleet.repoUrl} (\`dist/ci/\`). Edit them there, not here: the next sync replaces them.`,
  });
  return `opened a pull request from ${WORKFLOW_BRANCH} into ${base} of ${client.repository}`;
}

/** `owner/repo` of a clone URL, e.g. `https://forgejo.example.com/shop/api.git` → `shop/api`. */
function repositoryOf(url: string): string {
  return url.replace(/\.git$/, '').split(/[/:]/).slice(-2).join('/');
}

function git(cwd: string, args: string[], service: string, url?: string): string {
  try {
    // process.env as this module sees it, which a sandbox (jest) may hold apart from the real one.
    return execFileSync('git', args, { cwd, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] }).toString('utf-8');
  } catch (e) {
    const reason = ((e as { stderr?: Buffer }).stderr?.toString('utf-8') ?? String(e)).trim().split('\n')[0].toLowerCase();
    return fail({ at: `sync-workflows/${service}`, field: `git ${args[0]}`, value: url ?? cwd, rule: `failed: ${reason}`, fix: 'check the url, the branch and the push credentials of the service\'s repository' });
  }
}

function gitSucceeds(cwd: string, args: string[]): boolean {
  try {
    execFileSync('git', args, { cwd, env: process.env, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** `npm run sync-workflows`. */
export const SYNC_WORKFLOWS_COMMAND: Command = {
  name: 'sync-workflows',
  summary: 'pushes each service\'s synthesized workflows to its own repository, as a pull request or directly',
  usage: USAGE,
  example: 'npm run sync-workflows -- --service api',
  run: ({ fleet, root }, argv) => syncWorkflowsCommand(fleet(), root, argv),
};
