import * as fs from 'fs';
import { ForgejoClient } from '../delivery/forgejo/forgejo-client';
import { BuildRecords, loadPins } from '../delivery/pins';
import { judgeReleaseRequest, parseReleaseRequest } from '../delivery/requests';
import { fail } from '../lib/errors';
import { Fleet } from '../model';
import { releaseCommand } from './release';
import { Command, parseFlags, required } from './support/command';

const USAGE = 'npm run request -- --event FILE [--answer LOG --api URL --repo OWNER/REPO]   (token for --answer in FORGEJO_TOKEN)';
/** The most lines of the log an answer quotes: enough for every problem, short enough to read. */
const MAX_ANSWER_LINES = 40;

/**
 * `npm run request`: lands a release request, an issue a service pipeline opened in the infra repo.
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

/** Comments the run's log on the request's issue and closes it. */
async function answer(payload: unknown, log: string, api: string, repo: string, token: string | undefined): Promise<string> {
  const issue = (payload as { issue?: { number?: unknown } } | null)?.issue?.number;
  if (typeof issue !== 'number') fail({ at: 'request', field: '--event', value: typeof issue, rule: 'holds no issue.number to answer', fix: 'pass $GITHUB_EVENT_PATH of an issues workflow' });
  if (!/^https?:\/\/\S+$/.test(api)) fail({ at: 'request', field: '--api', value: api, rule: 'must be the http(s) url of the forgejo api', fix: 'pass ${{ github.server_url }}/api/v1' });
  if (!/^[^/\s]+\/[^/\s]+$/.test(repo)) fail({ at: 'request', field: '--repo', value: repo, rule: 'must be owner/repo', fix: 'pass ${{ github.repository }}' });
  if (!token) fail({ at: 'request', field: 'FORGEJO_TOKEN', value: undefined, rule: 'is required to answer the request', fix: 'set it from ${{ secrets.GITHUB_TOKEN }}, the infra repo\'s own token' });
  const lines = (fs.existsSync(log) ? fs.readFileSync(log, 'utf-8') : '').split('\n').map(l => l.trimEnd()).filter(Boolean);
  const errors = lines.filter(l => l.startsWith('error:') || l.startsWith('commit-and-push: error:'));
  const landed = errors.length === 0 && lines.some(l => l.startsWith('landed release request'));
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
  summary: 'lands a release request (an issue a service pipeline opened) through npm run release, or answers and closes it',
  usage: USAGE,
  example: 'npm run request -- --event "$GITHUB_EVENT_PATH"',
  run: ({ fleet, root }, argv) => requestCommand(fleet(), root, argv),
};
