import * as fs from 'fs';
import { ForgejoClient } from '../delivery/forgejo/forgejo-client';
import { BuildRecords, loadPins } from '../delivery/pins';
import { judgeReleaseRequest, parseReleaseRequest } from '../delivery/requests';
import { isVerdictIssue, parseVerdictIssue } from '../delivery/verdicts';
import { fail } from '../lib/errors';
import { Fleet } from '../model';
import { releaseCommand } from './release';
import { Command, parseFlags, required } from './support/command';
import { verdictFromRequest } from './verdict';

const USAGE = 'npm run request -- --event FILE [--answer LOG --api URL --repo OWNER/REPO]   (token for --answer in FORGEJO_TOKEN)';
/** The most lines of the log an answer quotes: enough for every problem, short enough to read. */
const MAX_ANSWER_LINES = 40;

/**
 * `npm run request`: lands a release request, an issue a service pipeline opened in the infra repo, or
 * records a verdict, an issue a cluster's rollout notifications opened.
 * The infra repo's `issues` workflow runs it with main's code (Forgejo runs `issues` workflows from the
 * default branch: modules/actions/github.go `IsDefaultBranchWorkflow`) on the event payload, read as
 * data only. A forged, malformed or wrong request fails and changes nothing; a duplicate or stale one
 * changes nothing and says so; a valid one is released exactly as `npm run release` releases.
 *
 * With `--answer LOG` it instead comments the log of that run on the issue (its `error:` lines, or
 * what landed) and closes it.
 */
export async function requestCommand(
  fleet: Fleet, root: string, argv: string[], now = new Date(), token = process.env.FORGEJO_TOKEN,
): Promise<string> {
  const flags = parseFlags(argv, { event: 'string', answer: 'string', api: 'string', repo: 'string' }, USAGE);
  const file = required(flags.event, 'event', USAGE);
  let payload: unknown;
  try {
    payload = JSON.parse(fs.readFileSync(file, 'utf-8'));
  } catch (e) {
    return fail({ at: 'request', field: '--event', value: file, rule: `is no readable json: ${(e as Error).message.split('\n')[0]}`, fix: 'pass $GITHUB_EVENT_PATH' });
  }
  if (flags.answer !== undefined) return answer(payload, flags.answer, required(flags.api, 'api', USAGE), required(flags.repo, 'repo', USAGE), token);
  const issue = (payload as { issue?: { body?: unknown } } | null)?.issue;
  if (typeof issue?.body === 'string' && isVerdictIssue(issue.body)) return landVerdict(fleet, root, payload, now);

  const request = parseReleaseRequest(payload);
  const verdict = judgeReleaseRequest(fleet, request, loadPins(fleet, root), BuildRecords.load(root, request.environment).get(request.service), now);
  if (verdict.kind !== 'land') return verdict.message;
  // The same path as `npm run release`: the lock, the older-build check and the crash-safe commit.
  const output = releaseCommand(fleet, root, [
    '--service', request.service, '--env', request.environment, '--image', verdict.image.toString(),
    '--source-commit', request.sourceCommit, '--built-at', request.builtAt,
  ]);
  return `landed release request #${request.issue} from ${request.requester}\n${output}`;
}

/**
 * Records a verdict a cluster's notification filed as an issue: only from the environment's
 * `verdictRequester`, with the time Forgejo gave the issue (never one from its body).
 */
function landVerdict(fleet: Fleet, root: string, payload: unknown, now: Date): string {
  const event = payload as { action?: unknown; issue: { number?: unknown; body: string; created_at?: unknown; user?: { login?: unknown } } };
  if (event.action !== 'opened') fail({ at: 'verdict request', field: 'action', value: event.action, rule: 'is not a newly opened issue', fix: 'run on issues: opened only' });
  const login = event.issue.user?.login;
  const environment = fleet.environment(parseVerdictIssue(event.issue.body).environment, 'environment');
  if (environment.verdictRequester === undefined) {
    fail({
      at: 'verdict request', field: 'environment', value: environment.name, rule: 'names no verdictRequester in fleet.ts, so no verdict issue is trusted',
      fix: `set verdictRequester of ${environment.name} to the login of the bot whose token the notification Secret holds`,
    });
  }
  if (login !== environment.verdictRequester) {
    fail({ at: 'verdict request', field: 'issue.user.login', value: login, rule: `is not ${environment.verdictRequester}, the verdictRequester of ${environment.name}`, fix: 'file verdicts only through the notifications of that environment' });
  }
  const output = verdictFromRequest(fleet, root, { body: event.issue.body, createdAt: String(event.issue.created_at) }, now);
  return `landed verdict request #${String(event.issue.number)} from ${login}\n${output}`;
}

/** Comments the run's log on the request's issue and closes it. */
async function answer(payload: unknown, log: string, api: string, repo: string, token: string | undefined): Promise<string> {
  const issue = (payload as { issue?: { number?: unknown } } | null)?.issue?.number;
  if (typeof issue !== 'number') fail({ at: 'request', field: '--event', value: typeof issue, rule: 'holds no issue.number to answer', fix: 'pass $GITHUB_EVENT_PATH of an issues workflow' });
  if (!/^https?:\/\/\S+$/.test(api)) fail({ at: 'request', field: '--api', value: api, rule: 'must be the http(s) url of the forgejo api', fix: 'pass ${{ github.server_url }}/api/v1' });
  if (!/^[^/\s]+\/[^/\s]+$/.test(repo)) fail({ at: 'request', field: '--repo', value: repo, rule: 'must be owner/repo', fix: 'pass ${{ github.repository }}' });
  if (!token) fail({ at: 'request', field: 'FORGEJO_TOKEN', value: undefined, rule: 'is required to answer the request', fix: 'set it from ${{ secrets.GITHUB_TOKEN }}, the infra repo\'s own token' });
  const lines = (fs.existsSync(log) ? fs.readFileSync(log, 'utf-8') : '').split('\n').map(l => l.trimEnd()).filter(Boolean);
  const errors = lines.filter(l => l.startsWith('error:') || l.startsWith('commit-and-push: error:'));
  const landed = errors.length === 0 && lines.some(l => /^landed (release|verdict) request/.test(l));
  const verdict = errors.length > 0 ? 'Refused: nothing changed.' : landed ? 'Landed on main.' : 'Nothing changed.';
  // The log quotes the request's own values: no backtick may end the fence early.
  const quoted = (errors.length > 0 ? errors : lines).slice(0, MAX_ANSWER_LINES).map(l => l.replace(/`/g, "'"));
  const client = new ForgejoClient(api, repo, token);
  await client.createComment(issue, [verdict, '', '```text', ...quoted, '```', ''].join('\n'));
  await client.closeIssue(issue);
  return `answered and closed ${repo}#${issue}: ${verdict}`;
}

/** `npm run request`. */
export const REQUEST_COMMAND: Command = {
  name: 'request',
  summary: 'lands a release request (an issue a service pipeline opened) or records a verdict (one a cluster opened), or answers and closes it',
  usage: USAGE,
  example: 'npm run request -- --event "$GITHUB_EVENT_PATH"',
  run: ({ fleet, root }, argv) => requestCommand(fleet(), root, argv),
};
