import { execFileSync } from 'child_process';
import { Layout } from '../../model/layout';
import { VerdictRecords, digestOf } from './verdict-records';

/** The image an aborted canary goes back to, and where that was read. */
export interface StableImage {
  readonly image: string;
  readonly source: string;
}

/**
 * The image the Rollout of `service` in `environment` runs as stable while `aborted` is its canary:
 * the image whose canary last completed there (the verdicts file), which is what the controller made
 * stable (`RolloutCompleted` is sent only when the stable ReplicaSet switches, argo-rollouts v1.9.1
 * rollout/sync.go `promoteStable`); without such a verdict, the last earlier pin in the pin file's
 * Git history whose digest is neither the aborted one nor `isQuarantined`. The verdicts come first
 * because a release pinned on top of an unfinished canary never became stable, while the Git history
 * would name it. Undefined when neither knows one.
 */
export function stableImage(
  root: string, environment: string, service: string, aborted: string, verdicts: VerdictRecords, isQuarantined: (digest: string) => boolean,
): StableImage | undefined {
  const abortedDigest = digestOf(aborted);
  const completed = [...verdicts.of(service)].reverse()
    .find(r => r.verdict === 'completed' && r.outcome !== 'stale' && digestOf(r.image) !== abortedDigest && !isQuarantined(digestOf(r.image)));
  if (completed) return { image: completed.image, source: `the last completed canary in ${verdicts.file} (${completed.at})` };
  for (const { image, commit } of pinHistory(root, environment, service)) {
    if (digestOf(image) !== abortedDigest && !isQuarantined(digestOf(image))) return { image, source: `the pin in ${Layout.pinFile(environment)} at commit ${commit}` };
  }
  return undefined;
}

/** A service's pins in an environment's pin file, newest commit first, from Git; none outside a Git checkout or in a shallow one. */
export function pinHistory(root: string, environment: string, service: string): { image: string; commit: string }[] {
  const file = Layout.pinFile(environment);
  let commits: string[];
  try {
    commits = execFileSync('git', ['-C', root, 'log', '--format=%h', '--', file], { stdio: ['ignore', 'pipe', 'ignore'], encoding: 'utf-8' }).split('\n').filter(Boolean);
  } catch {
    return [];
  }
  const pins: { image: string; commit: string }[] = [];
  for (const commit of commits) {
    try {
      const ref = (JSON.parse(execFileSync('git', ['-C', root, 'show', `${commit}:${file}`], { stdio: ['ignore', 'pipe', 'ignore'], encoding: 'utf-8' })) as Record<string, unknown>)[service];
      if (typeof ref === 'string') pins.push({ image: ref, commit });
    } catch {
      // A commit where the file is not JSON holds no pin to go back to.
    }
  }
  return pins;
}
