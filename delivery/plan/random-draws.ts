import { IntervalCounts } from '../../lib/analysis/canary-comparison';

/** A small seeded generator (Park and Miller's minimal standard), so that a seed replays the same traffic. */
export function seededRandom(seed: number): () => number {
  const modulus = 2147483647;
  let state = (Math.abs(Math.floor(seed)) % (modulus - 1)) + 1;
  return () => {
    state = (state * 48271) % modulus;
    return (state - 1) / (modulus - 1);
  };
}

/** A Poisson draw: exact for small means, normal beyond. */
export function poisson(mean: number, random: () => number): number {
  if (mean <= 0) return 0;
  if (mean > 50) {
    const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * z));
  }
  const limit = Math.exp(-mean);
  let k = 0;
  for (let p = random(); p > limit; p *= random()) k += 1;
  return k;
}

/**
 * One scrape interval's traffic of a release: Poisson requests of `lengthS` seconds at `rps`, the
 * canary's `share` (0–1) of them and stable's the rest, each version's errors Poisson at its rate.
 */
export function drawInterval(
  rps: number, share: number, lengthS: number, canaryErrorRate: number, stableErrorRate: number, random: () => number,
): IntervalCounts {
  const canaryRequests = poisson(rps * share * lengthS, random);
  const canaryErrors = Math.min(canaryRequests, poisson(canaryRequests * canaryErrorRate, random));
  const stableRequests = poisson(rps * (1 - share) * lengthS, random);
  const stableErrors = Math.min(stableRequests, poisson(stableRequests * stableErrorRate, random));
  return { canaryRequests, canaryErrors, stableRequests, stableErrors };
}
