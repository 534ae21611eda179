/** The pods a replica-based canary runs at one weight. */
export interface ReplicaSplit {
  readonly canary: number;
  readonly stable: number;
  /** The canary's real share of traffic, in percent: its share of the ready pods. */
  readonly share: number;
}

/**
 * The canary and stable pod counts the Argo Rollouts controller picks for `weight` without a traffic
 * router (rolloututil's approximateWeightedCanaryStableReplicaCounts): the closest share with `replicas`
 * pods in all, or one more when surge is allowed, and at least one pod of each for weights 1..99.
 */
export function replicaSplit(replicas: number, weight: number, maxSurge: number): ReplicaSplit {
  const split = (canary: number, total: number): ReplicaSplit => ({ canary, stable: total - canary, share: total ? (canary * 100) / total : 0 });
  if (replicas === 0) return split(0, 0);
  const ceil = Math.ceil((replicas * weight) / 100);
  const floor = Math.floor((replicas * weight) / 100);
  const tied = (total: number) => ((total * weight) / 100) % 1 === 0.5;
  const zeroAllowed = weight === 100 || weight === 0 || (replicas === 1 && maxSurge === 0);
  const options: ReplicaSplit[] = [];
  if (ceil < replicas || zeroAllowed) options.push(split(ceil, replicas));
  if (!tied(replicas) && (floor !== 0 || zeroAllowed)) options.push(split(floor, replicas));
  if (maxSurge > 0) {
    options.push(split(ceil, replicas + 1));
    if (!tied(replicas + 1) && (floor !== 0 || zeroAllowed)) options.push(split(floor, replicas + 1));
  }
  if (options.length === 0) return split(0, replicas);
  // The first of equally close options wins, as in the controller.
  return options.reduce((best, option) => (Math.abs(option.share - weight) < Math.abs(best.share - weight) ? option : best));
}

/** A surge given as a count or a percentage, in pods, rounded up as Kubernetes does. */
export function surgePods(replicas: number, maxSurge: number | string): number {
  return typeof maxSurge === 'number' ? maxSurge : Math.ceil((replicas * parseFloat(maxSurge)) / 100);
}
