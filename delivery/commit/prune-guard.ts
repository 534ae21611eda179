import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Problem } from '../../lib/errors/problem';
import { OutputFile, documentCount as fileDocuments } from '../../lib/output/output-file';
import { Layout } from '../../model/layout';
import { committedFiles } from './git-files';

/** How much a synth may remove before it needs `--allow-prune`. */
export interface PruneLimits {
  /**
   * The largest share of the Kubernetes documents under `dist/` a synth may drop.
   * @default 0.1
   */
  readonly maxDroppedShare?: number;
  /**
   * Folders of `dist/` (e.g. `dist/staging/cart`) removed on purpose: their files are left out of the
   * comparison, so exactly these may go and the guard still holds for everything else.
   * @default - none
   */
  readonly approvedRemovals?: readonly string[];
}

/** One Application folder (`dist/<env>/<service>`) or environment folder and its document count. */
interface Inventory {
  readonly folders: Set<string>;
  readonly documents: number;
}

/**
 * Compares the `dist/` about to be written with the one in place. Argo CD prunes whatever disappears,
 * and its `allowEmpty: false` guard only fires when everything would go (argo-cd#10987), so this
 * refuses a synth that removes a whole service or environment folder, or drops more than
 * `maxDroppedShare` of the documents. Without a `dist/` in the working tree it compares with the one
 * Git's HEAD holds, so deleting `dist/` never lets a prune through.
 *
 * @returns the reasons to refuse; empty when the synth may proceed
 */
export function pruneProblems(currentDist: string, nextDist: ReadonlyMap<string, OutputFile>, limits: PruneLimits = {}): Problem[] {
  const live = fs.existsSync(currentDist) ? countsOfFolder(currentDist) : new Map<string, number>();
  // Argo CD syncs what Git holds: with no dist/ in the working tree, what HEAD holds is what would be pruned.
  const approved = (limits.approvedRemovals ?? []).map(folder => `${folder.slice(Layout.dist.length + 1)}/`);
  const current = live.size > 0 ? live : committedCounts(path.dirname(currentDist), path.basename(currentDist));
  const before = inventoryOf(new Map([...current].filter(([file]) => !approved.some(folder => file.startsWith(folder)))));
  return [
    ...handMadeFileProblems(path.dirname(currentDist), path.basename(currentDist), nextDist),
    ...removalProblems(before, inventoryOfFiles(nextDist), limits.maxDroppedShare),
  ];
}

/**
 * The guard on a commit already staged, as recovery finds it: `before` is what `dist/` held before the
 * command, `next` what it holds once the commit completes, both as {@link folderFiles} lists them.
 * The live tree may already be moved aside, so its hand-made files are {@link handMadeFileProblems}'s
 * to find, and nothing is approved: a removal that was intended is made again by its command.
 *
 * @returns the reasons not to roll the commit forward
 */
export function stagedPruneProblems(before: ReadonlyMap<string, OutputFile>, next: ReadonlyMap<string, OutputFile>): Problem[] {
  return removalProblems(inventoryOfFiles(before), inventoryOfFiles(next));
}

/** A folder of Argo CD's that disappears, or too large a share of the documents dropped. */
function removalProblems(before: Inventory, after: Inventory, maxShare = 0.1): Problem[] {
  const problems: Problem[] = [];
  const fix = 'if the removal is intended, run again with --allow-prune (npm run synth -- --allow-prune, or ALLOW_PRUNE=1 npx cdk8s synth)';
  for (const folder of [...before.folders].sort()) {
    if (!after.folders.has(folder)) {
      problems.push({ at: 'prune guard', field: `dist/${folder}`, value: 'removed', rule: 'argo cd would prune everything it deployed', fix });
    }
  }
  const dropped = before.documents - after.documents;
  if (before.documents > 0 && dropped / before.documents > maxShare) {
    problems.push({ at: 'prune guard', field: 'dist/', value: `${dropped} of ${before.documents} documents dropped`, rule: `${Math.round((dropped / before.documents) * 100)}% is more than the ${Math.round(maxShare * 100)}% allowed`, fix });
  }
  return problems;
}

/**
 * A file under `folder` that no synth writes and Git does not hold was made by hand, and replacing the
 * folder would delete it: one problem per such file.
 */
export function handMadeFileProblems(root: string, folder: string, next: ReadonlyMap<string, OutputFile>): Problem[] {
  return untracked(root, folder).filter(file => !next.has(file)).map(file => ({
    at: 'prune guard', field: file, value: 'not synthesized', rule: 'is a file no synth writes and Git does not hold, which this synth would delete',
    fix: 'move it out of dist/, or commit it first if deleting it is intended',
  }));
}

/**
 * The files under `root/folder` as the guard counts them, by path relative to `root`: what a staged or
 * live tree holds, compared like the output of a synth.
 * @param as the folder they stand for, when they were moved: `dist/` moved aside is listed under `dist/`
 */
export function folderFiles(root: string, folder: string, as: string = folder): Map<string, OutputFile> {
  const files = new Map<string, OutputFile>();
  const top = path.join(root, folder);
  if (!fs.existsSync(top)) return files;
  for (const [file, documents] of countsOfFolder(top)) {
    // Only the count matters to the guard: one placeholder per document.
    files.set(`${as}/${file}`, { objects: Array.from({ length: documents }, () => ({ toJson: () => null })) });
  }
  return files;
}

/** Folders that Argo CD Applications or their environments map to: `dist/<env>` and `dist/<env>/<service>`. */
function foldersOf(relativeFile: string): string[] {
  const parts = relativeFile.split('/');
  return parts.length >= 3 ? [parts[0], `${parts[0]}/${parts[1]}`] : [];
}

/** The document counts of the YAML files already in `dist`, by path relative to it. */
function countsOfFolder(dist: string): Map<string, number> {
  const counts = new Map<string, number>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {walk(full);} else if (/\.ya?ml$/.test(entry.name)) {
        const documents = documentsIn(fs.readFileSync(full, 'utf-8'));
        counts.set(path.relative(dist, full).split(path.sep).join('/'), documents);
      }
    }
  };
  walk(dist);
  return counts;
}

/** The files under `folder` Git does not track or ignore, by path relative to `root`; none outside Git. */
function untracked(root: string, folder: string): string[] {
  try {
    return execFileSync('git', ['-C', root, 'ls-files', '-z', '--others', '--exclude-standard', '--', folder], { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString('utf-8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

/** Documents in one YAML text. */
function documentsIn(text: string): number {
  return text.split(/^---$/m).filter(part => part.trim() !== '').length;
}

/** The document counts of the YAML files Git's HEAD holds under `folder`, by path relative to it. */
function committedCounts(root: string, folder: string): Map<string, number> {
  const files = committedFiles(root, 'HEAD', [folder], name => /\.ya?ml$/.test(name));
  return new Map([...files].map(([name, text]) => [name.slice(folder.length + 1), documentsIn(text)]));
}

/** The document counts of the YAML files about to be written under `dist/`. */
function inventoryOfFiles(next: ReadonlyMap<string, OutputFile>): Inventory {
  const counts = new Map<string, number>();
  for (const [file, content] of next) {
    if (file.startsWith('dist/') && /\.ya?ml$/.test(file)) counts.set(file.slice('dist/'.length), fileDocuments(content));
  }
  return inventoryOf(counts);
}

function inventoryOf(counts: ReadonlyMap<string, number>): Inventory {
  const folders = new Set<string>();
  let documents = 0;
  for (const [file, count] of counts) {
    foldersOf(file).forEach(f => folders.add(f));
    documents += count;
  }
  return { folders, documents };
}
