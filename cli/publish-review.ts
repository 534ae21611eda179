import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { ForgejoClient } from '../delivery/forgejo/forgejo-client';
import { APPROVAL_TRAILER } from '../delivery/review';
import { fail } from '../lib/errors';
import { Fleet, Layout } from '../model';
import { planCommand } from './plan';
import { reviewRepository } from './review';
import { Command, parseFlags, repositoryPath, required } from './support/command';

const USAGE = 'npm run review:publish -- --base REF [--head REF] --api URL --repo OWNER/REPO --pr N --sha SHA [--append FILE]   (token in FORGEJO_TOKEN)';

/** Marks the comment this command owns, so each push edits it instead of adding another. */
export const REVIEW_COMMENT_MARKER = '<!-- infra-delivery:review -->';
/** The commit status context it sets. */
export const STATUS_CONTEXT = 'infra/review';

/**
 * `npm run review:publish`: posts the review and the canary plan as one comment on the pull request,
 * editing its own earlier comment, and sets the commit status: `failure` while a high-severity flag
 * has no `review-approved: <rule>` trailer, `success` otherwise. The token comes from the environment
 * (FORGEJO_TOKEN), never from a flag. `--append` folds one more report into the comment, e.g. the replay;
 * `--head` reviews that commit, read from Git alone, instead of the working tree.
 */
export async function publishReviewCommand(fleet: Fleet, root: string, argv: string[], token = process.env.FORGEJO_TOKEN): Promise<string> {
  const flags = parseFlags(argv, { base: 'string', head: 'string', api: 'string', repo: 'string', pr: 'string', sha: 'string', append: 'string' }, USAGE);
  const [base, api, repo, pr, sha] = (['base', 'api', 'repo', 'pr', 'sha'] as const).map(f => required(flags[f], f, USAGE));
  if (!/^https?:\/\/\S+$/.test(api)) fail({ at: 'review:publish', field: '--api', value: api, rule: 'must be the http(s) url of the forgejo api', fix: 'pass ${{ github.api_url }}' });
  if (!/^[^/\s]+\/[^/\s]+$/.test(repo)) fail({ at: 'review:publish', field: '--repo', value: repo, rule: 'must be owner/repo', fix: 'pass ${{ github.repository }}' });
  if (!/^[1-9]\d*$/.test(pr)) fail({ at: 'review:publish', field: '--pr', value: pr, rule: 'must be a pull request number', fix: 'pass ${{ github.event.pull_request.number }}' });
  if (!/^[0-9a-f]{7,64}$/.test(sha)) fail({ at: 'review:publish', field: '--sha', value: sha, rule: 'must be the hex commit to set the status on', fix: 'pass ${{ github.event.pull_request.head.sha }}' });
  if (!token) fail({ at: 'review:publish', field: 'FORGEJO_TOKEN', value: undefined, rule: 'is required to comment and set the status', fix: 'set it from ${{ secrets.GITHUB_TOKEN }} in the workflow' });

  // The comment is public to every reader of the pull request: only a report of this repository goes in.
  const appended = flags.append === undefined ? undefined
    : repositoryPath(root, flags.append, 'review:publish', '--append', 'pass a report the workflow wrote, e.g. reports/plan/simulate/simulate.md');
  if (appended !== undefined && !fs.existsSync(appended)) {
    fail({ at: 'review:publish', field: '--append', value: flags.append, rule: 'names no file', fix: 'pass a report the workflow wrote, e.g. reports/plan/simulate/simulate.md' });
  }
  const { markdown, unapproved } = reviewRepository(fleet, root, base, undefined, flags.head);
  const client = new ForgejoClient(api, repo, token);
  const fold = (title: string, text: string) => [`<details><summary>${title}</summary>`, '', text.trimEnd(), '', '</details>'];
  const plan = await withAttachedCharts(client, Number(pr), planCommand(root, []), path.join(root, Layout.planReports));
  const body = [
    REVIEW_COMMENT_MARKER, markdown.trimEnd(), '',
    ...fold('Canary plan', plan),
    ...appended ? ['', ...fold(path.basename(appended), fs.readFileSync(appended, 'utf-8'))] : [], '',
  ].join('\n');
  const own = (await client.listComments(Number(pr))).find(c => c.body.startsWith(REVIEW_COMMENT_MARKER));
  if (own) await client.editComment(own.id, body);
  else await client.createComment(Number(pr), body);
  const approved = unapproved.length === 0;
  const description = approved ? 'no unapproved high-severity flag' : `needs ${APPROVAL_TRAILER}: ${unapproved.join(', ')}`;
  await client.setStatus(sha, { state: approved ? 'success' : 'failure', context: STATUS_CONTEXT, description });
  return `${own ? 'updated' : 'posted'} the review on ${repo}#${pr}; status ${STATUS_CONTEXT} ${approved ? 'success' : 'failure'}: ${description}`;
}

/**
 * The plan's Markdown with each chart attached to the pull request and linked by its attachment URL:
 * Forgejo resolves a relative image of a comment against the repository's files, where the chart is
 * not (modules/markup/markdown/transform_image.go), and strips `data:` images. A chart's name carries
 * its content's hash, so a push that leaves it unchanged reuses the attachment instead of adding one.
 */
async function withAttachedCharts(client: ForgejoClient, pullRequest: number, markdown: string, folder: string): Promise<string> {
  const attached = new Map((await client.listAttachments(pullRequest)).map(a => [a.name, a.browser_download_url]));
  let result = markdown;
  for (const [, chart] of markdown.matchAll(/\]\(([\w.-]+\.svg)\)/g)) {
    const content = fs.readFileSync(path.join(folder, chart), 'utf-8');
    const name = `${chart.replace(/\.svg$/, '')}-${createHash('sha256').update(content).digest('hex').slice(0, 12)}.svg`;
    const url = attached.get(name) ?? (await client.attach(pullRequest, name, content, 'image/svg+xml')).browser_download_url;
    result = result.split(`](${chart})`).join(`](${url})`);
  }
  return result;
}

/** `npm run review:publish`. */
export const PUBLISH_REVIEW_COMMAND: Command = {
  name: 'review:publish',
  summary: 'posts the review and the plan as one pull request comment and sets the infra/review commit status',
  usage: USAGE,
  example: 'FORGEJO_TOKEN=... npm run review:publish -- --base origin/main --api https://forgejo.example.com/api/v1 --repo platform/infra --pr 7 --sha HEAD_SHA',
  run: ({ fleet, root }, argv) => publishReviewCommand(fleet(), root, argv),
};
