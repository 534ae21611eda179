import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { committedFiles } from '../delivery/commit';
import { APPROVAL_TRAILER, Document, Severity, DocumentTree, PinTree, reviewChanges, reviewJson, reviewMarkdown, unapprovedRules } from '../delivery/review';
import { staleOutputs } from '../delivery/synth';
import { VerdictRecords } from '../delivery/verdicts';
import { fail } from '../lib/errors';
import { Fleet, Layout } from '../model';
import { Command, parseFlags, repositoryPath, required, warnIfCommitPending } from './support/command';

const USAGE = 'npm run review -- --base GIT_REF [--out FOLDER]';

/** The synthesized outputs a review compares, and the pins. */
const OUTPUTS = [Layout.dist, '.forgejo'];

/**
 * `npm run review`: what the working tree changes in each cluster against `--base` (a branch, tag or
 * commit), read from the committed `dist/` there and the synthesized one here, in plain lines with
 * risk flags; writes `review.md` and `review.json` and prints the Markdown. The high-severity flags
 * that no `review-approved: <rule>` trailer in the commits since the base approves are listed last.
 */
export function reviewCommand(fleet: Fleet, root: string, argv: string[]): string {
  const flags = parseFlags(argv, { base: 'string', out: 'string' }, USAGE);
  const { markdown, unapproved, highFlags, wrote } = reviewRepository(fleet, root, required(flags.base, 'base', USAGE), flags.out);
  const approval = highFlags === 0 ? [] : unapproved.length === 0 ? ['every high-severity flag is approved']
    : [`unapproved high-severity flags: ${unapproved.join(', ')} (add '${APPROVAL_TRAILER}: <rule>' to a commit)`];
  return [markdown.trimEnd(), ...approval, `wrote ${wrote.join(' and ')}`].join('\n\n');
}

/** A written review: its Markdown, the high-severity rules no trailer approves, and where it was written. */
export interface RepositoryReview {
  readonly markdown: string;
  readonly unapproved: string[];
  /** How many high-severity flags the review raised, approved or not. */
  readonly highFlags: number;
  /** The files written, relative to the root. */
  readonly wrote: string[];
}

/**
 * Reviews the working tree of `root` against `base`, or with `head` the commit `head` read from Git
 * alone (the privileged review job reads a pull request so, never checking it out), and writes
 * `review.md` and `review.json` to `out`.
 */
export function reviewRepository(fleet: Fleet, root: string, base: string, outFlag?: string, head?: string): RepositoryReview {
  const out = repositoryPath(root, outFlag ?? Layout.reviewReports, 'review', '--out', `write reports inside the repository, e.g. ${Layout.reviewReports}`);
  if (Layout.isInDist(path.relative(root, out))) {
    fail({ at: 'review', field: '--out', value: outFlag, rule: 'argo cd reads every yaml file under dist/, and reports do not belong there', fix: `write them outside dist/, e.g. ${Layout.reviewReports}` });
  }
  const commit = git(root, ['rev-parse', '--verify', '--quiet', `${base}^{commit}`])?.trim();
  if (commit === undefined) fail({ at: 'review', field: '--base', value: base, rule: 'is not a commit of this repository', fix: 'name a branch, tag or commit, e.g. --base origin/main' });

  const headCommit = head === undefined ? undefined : git(root, ['rev-parse', '--verify', '--quiet', `${head}^{commit}`])?.trim();
  if (head !== undefined && headCommit === undefined) fail({ at: 'review', field: '--head', value: head, rule: 'is not a commit of this repository', fix: 'fetch the pull request\'s head first' });
  const isYaml = (file: string) => /\.ya?ml$/.test(file);
  const after = (folders: readonly string[], accept: (file: string) => boolean) =>
    (headCommit ? committedFiles(root, headCommit, folders, accept) : workingFiles(root, folders, accept));
  const review = reviewChanges({
    before: parseTree(committedFiles(root, commit, OUTPUTS, isYaml)),
    after: parseTree(after(OUTPUTS, isYaml)),
    pinsBefore: parsePins(committedFiles(root, commit, [Layout.releases], isPinFile)),
    pinsAfter: parsePins(after([Layout.releases], isPinFile)),
    environments: fleet.environments.map(e => e.name),
    verdictsAfter: Object.fromEntries(fleet.environments.map(e => [e.name, VerdictRecords.load(root, e.name)])),
    // A dist/ that is not what fleet.ts makes would make the review describe the wrong change. The job
    // that reads a pull request's commit as data never synthesizes it: it relies on the drift check's status.
    staleFiles: headCommit ? undefined : staleOutputs(fleet, root),
    changedPaths: headCommit ? lines(git(root, ['diff', '--name-only', commit, headCommit])) : [
      ...lines(git(root, ['diff', '--name-only', commit])),
      ...lines(git(root, ['ls-files', '--others', '--exclude-standard'])),
    ],
  });
  const approved = lines(git(root, ['log', `--format=%(trailers:key=${APPROVAL_TRAILER},valueonly)`, `${commit}..${headCommit ?? 'HEAD'}`]));
  const markdown = reviewMarkdown(review, base);
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, 'review.md'), markdown);
  fs.writeFileSync(path.join(out, 'review.json'), reviewJson(review, base));
  const highFlags = review.flags.filter(f => f.severity === Severity.HIGH).length;
  const wrote = ['review.md', 'review.json'].map(name => path.relative(root, path.join(out, name)));
  return { markdown, unapproved: unapprovedRules(review, approved), highFlags, wrote };
}

function isPinFile(file: string): boolean {
  return /^releases\/[^/]+\.json$/.test(file) && !file.endsWith('.builds.json') && !file.endsWith('.verdicts.json');
}

/** The text files under `folders` of the working tree, by path relative to `root`. */
function workingFiles(root: string, folders: readonly string[], accept: (file: string) => boolean): Map<string, string> {
  const files = new Map<string, string>();
  for (const folder of folders.filter(f => fs.existsSync(path.join(root, f)))) {
    for (const entry of fs.readdirSync(path.join(root, folder), { recursive: true }) as string[]) {
      const file = path.posix.join(folder, entry.split(path.sep).join('/'));
      if (accept(file) && fs.statSync(path.join(root, file)).isFile()) files.set(file, fs.readFileSync(path.join(root, file), 'utf-8'));
    }
  }
  return files;
}

function parseTree(files: ReadonlyMap<string, string>): DocumentTree {
  return new Map([...files].map(([file, text]) => [file, YAML.parseAllDocuments(text).map(d => d.toJS() as Document).filter(Boolean)]));
}

function parsePins(files: ReadonlyMap<string, string>): PinTree {
  return Object.fromEntries([...files].map(([file, text]) => [path.basename(file, '.json'), JSON.parse(text) as Record<string, string>]));
}

function git(root: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', ['-C', root, ...args], { stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 2 ** 30 }).toString('utf-8');
  } catch {
    return undefined;
  }
}

function lines(text: string | undefined): string[] {
  return (text ?? '').split('\n').map(l => l.trim()).filter(Boolean);
}

/** `npm run review`. */
export const REVIEW_COMMAND: Command = {
  name: 'review',
  summary: 'says what a change does to each cluster against a Git base, with risk flags, and writes review.md and review.json',
  usage: USAGE,
  example: 'npm run review -- --base origin/main',
  run: (context, argv) => {
    warnIfCommitPending(context);
    return reviewCommand(context.fleet(), context.root, argv);
  },
};
