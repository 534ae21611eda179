import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { folderFiles, pruneProblems, stagedPruneProblems } from '../../../delivery/commit';
import { describeProblem } from '../../../lib/errors';

const ALLOW = 'if the removal is intended, run again with --allow-prune (npm run synth -- --allow-prune, or ALLOW_PRUNE=1 npx cdk8s synth)';

function distWith(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dist-'));
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
  return dir;
}

const doc = 'kind: X\n';

describe('pruneProblems', () => {
  test('GIVEN no current dist and no Git history WHEN checked THEN anything may be written', () => {
    expect(pruneProblems('/nonexistent/dist', new Map())).toEqual([]);
  });

  test('GIVEN dist/ deleted from a Git checkout WHEN a service would go THEN the committed dist/ is what the guard compares with', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pruned-'));
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: root, stdio: 'pipe' });
    git('init', '--quiet');
    for (const file of ['dist/staging/api/a.yaml', 'dist/staging/web/a.yaml']) {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), doc);
    }
    git('add', '-A');
    git('commit', '--quiet', '-m', 'dist');
    fs.rmSync(path.join(root, 'dist'), { recursive: true });
    const next = new Map([['dist/staging/api/a.yaml', { objects: [{ toJson: () => ({ kind: 'X' }) }] }]]);
    expect(pruneProblems(path.join(root, 'dist'), next, { maxDroppedShare: 1 }).map(describeProblem))
      .toEqual([`prune guard: 'dist/staging/web' is 'removed': argo cd would prune everything it deployed; ${ALLOW}`]);
  });

  test('GIVEN an environment folder that disappears WHEN checked THEN both it and its services are named', () => {
    const current = distWith({ 'prod/api/a.yaml': doc, 'staging/api/a.yaml': doc });
    expect(pruneProblems(current, new Map([['dist/staging/api/a.yaml', { objects: [{ toJson: () => ({ kind: 'X' }) }] }]]), { maxDroppedShare: 1 }).map(describeProblem)).toEqual([
      `prune guard: 'dist/prod' is 'removed': argo cd would prune everything it deployed; ${ALLOW}`,
      `prune guard: 'dist/prod/api' is 'removed': argo cd would prune everything it deployed; ${ALLOW}`,
    ]);
  });

  test('GIVEN more documents dropped than allowed WHEN checked THEN the share is reported', () => {
    const current = distWith({ 'staging/api/a.yaml': `${doc}---\n${doc}---\n${doc}---\n${doc}` });
    expect(pruneProblems(current, new Map([['dist/staging/api/a.yaml', { objects: [{ toJson: () => ({ kind: 'X' }) }] }]])).map(describeProblem)).toEqual([
      `prune guard: 'dist/' is '3 of 4 documents dropped': 75% is more than the 10% allowed; ${ALLOW}`,
    ]);
    expect(pruneProblems(current, new Map([['dist/staging/api/a.yaml', { objects: [{ toJson: () => ({ kind: 'X' }) }] }]]), { maxDroppedShare: 0.8 })).toEqual([]);
  });

  test('GIVEN a service folder approved for removal WHEN it and its documents go THEN only an unapproved folder is named', () => {
    const current = distWith({ 'staging/api/a.yaml': doc, 'staging/web/a.yaml': `${doc}---\n${doc}`, 'staging/db/a.yaml': doc, 'staging/cart/a.yaml': doc });
    const next = new Map([['dist/staging/api/a.yaml', { objects: [{ toJson: () => ({ kind: 'X' }) }] }], ['dist/staging/db/a.yaml', { objects: [{ toJson: () => ({ kind: 'X' }) }] }]]);
    expect(pruneProblems(current, next, { approvedRemovals: ['dist/staging/web'], maxDroppedShare: 0.4 }).map(describeProblem)).toEqual([
      `prune guard: 'dist/staging/cart' is 'removed': argo cd would prune everything it deployed; ${ALLOW}`,
    ]);
    expect(pruneProblems(current, next, { approvedRemovals: ['dist/staging/web', 'dist/staging/cart'], maxDroppedShare: 0 })).toEqual([]);
  });
});

describe('stagedPruneProblems', () => {
  test('GIVEN a tree moved aside, listed as the folder it stands for WHEN the staged tree drops a service THEN the folder and the share are named', () => {
    // GIVEN dist/ moved aside into a staging folder as dist.previous, and a staged dist/ without web
    const staging = distWith({ 'dist.previous/staging/api/a.yaml': doc, 'dist.previous/staging/web/a.yaml': doc, 'dist/staging/api/a.yaml': doc });
    const before = folderFiles(staging, 'dist.previous', 'dist');
    expect([...before.keys()].sort()).toEqual(['dist/staging/api/a.yaml', 'dist/staging/web/a.yaml']);
    // WHEN checked against the staged tree
    const problems = stagedPruneProblems(before, folderFiles(staging, 'dist')).map(describeProblem);
    // THEN the removed folder and the dropped share are both named, with the way to make the removal on purpose
    expect(problems).toEqual([
      `prune guard: 'dist/staging/web' is 'removed': argo cd would prune everything it deployed; ${ALLOW}`,
      `prune guard: 'dist/' is '1 of 2 documents dropped': 50% is more than the 10% allowed; ${ALLOW}`,
    ]);
    expect(stagedPruneProblems(before, before)).toEqual([]);
  });
});
