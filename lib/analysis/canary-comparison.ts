import { fail } from '../errors/problem';

/**
 * The judgement of a canary against the stable version over the same window, as one number per
 * measurement, computed by Prometheus and compared by the controller.
 *
 * With E_c, N_c the canary's errors and requests and E_s, N_s the stable pods' over the same window,
 * both counted only in the scrape intervals in which the canary took requests ({@link alignedCount}):
 *
 * - null hypothesis: the canary's error rate is at most `ratio × E_s/N_s + allowance` (tolerance: 1.5×
 *   the stable rate plus 0.05 points by default), so a fault that hits stable and canary alike never
 *   counts against the canary;
 * - expected canary errors under the null: λ0 = N_c × (ratio × E_s/N_s + allowance);
 * - statistic: Anscombe's variance-stabilised Poisson score 2(√(E_c + 3/8) − √(λ0 + 3/8)), about
 *   N(0, 1) when E_c ~ Poisson(λ0) and λ0 is known, and conservative for small λ0 (it needs 5 errors when
 *   λ0 ≈ 0), unlike the plain two-proportion z-test, which is anti-conservative at small counts (2 errors
 *   against 0.3 expected: nominal p 0.001, exact 0.037); λ0 is itself estimated from stable's Poisson
 *   count, so the score is divided by its spread (see `spread`): without it a canary split 50/50 with a
 *   stable at 1% errors aborted up to 4% of healthy releases in `npm run simulate`;
 * - the measurement fails when the score > z_crit = Φ⁻¹(1 − α/m): Bonferroni over the m measurements of a
 *   release (every analysed step × every measurement of the step). Bonferroni, rather than alpha-spending
 *   or a sequential test, because each measurement must be judged by a fixed expr-lang condition in a
 *   template shared by every step, and because it holds whatever the dependence between overlapping
 *   windows: P(any false abort) ≤ Σ P(measurement i false) ≤ m × α/m = α. A canary as good as stable
 *   spends far less than α/m per measurement; one exactly at the tolerance's edge (not a regression by
 *   definition) up to 1.4 × α/m, where the normal approximation is a little generous (the unit test
 *   sums the exact Poisson probabilities);
 * - absolute backstop: the canary fails when at least `ceiling` (50%) of its requests failed, above any
 *   shared outage, whatever stable did (stable may have had no traffic);
 * - data floor: fewer than `minRequests` canary (or stable) requests → NaN → Inconclusive, never Failed.
 */
export interface ComparisonOptions {
  /**
   * The family-wise false-abort probability of one healthy release, over all its measurements.
   * @default 0.01
   */
  readonly alpha?: number;
  /** The number of measurements of one release judged by this test (steps × measurements per step). */
  readonly measurements: number;
  /**
   * Fewer canary requests (or stable requests) than this in the window: Inconclusive.
   * @default 10
   */
  readonly minRequests?: number;
  /**
   * How many times the stable error rate the canary may have before it is a regression.
   * @default 1.5
   */
  readonly ratio?: number;
  /**
   * Error rate the canary may have above `ratio ×` stable's, as a share (0.0005 = 0.05 points).
   * @default 0.0005
   */
  readonly allowance?: number;
  /**
   * The canary's error share that fails a measurement whatever stable does.
   * @default 0.5
   */
  readonly ceiling?: number;
}

/** The defaults of {@link ComparisonOptions}. */
export const COMPARISON_DEFAULTS = { alpha: 0.01, minRequests: 10, ratio: 1.5, allowance: 0.0005, ceiling: 0.5 } as const;

/** The options with every default filled in. */
export type ResolvedComparison = Required<ComparisonOptions>;

/** Fills in the defaults, and refuses options the test cannot work with. */
export function resolveComparison(options: ComparisonOptions): ResolvedComparison {
  const resolved = { ...COMPARISON_DEFAULTS, ...options };
  const check = (field: string, value: number, ok: boolean, rule: string, fix: string) => {
    if (!ok) fail({ at: 'canaryComparison', field, value, rule, fix });
  };
  check('alpha', resolved.alpha, resolved.alpha > 0 && resolved.alpha < 0.5, 'must be above 0 and below 0.5', 'use a false-abort budget such as 0.01');
  check('measurements', resolved.measurements, Number.isInteger(resolved.measurements) && resolved.measurements >= 1, 'must be a positive integer', 'count every measurement of every analysed step');
  check('minRequests', resolved.minRequests, Number.isInteger(resolved.minRequests) && resolved.minRequests >= 1, 'must be a positive integer', 'use e.g. 10');
  check('ratio', resolved.ratio, resolved.ratio >= 1 && Number.isFinite(resolved.ratio), 'must be at least 1: below, a canary as good as stable fails', 'use e.g. 1.5');
  check('allowance', resolved.allowance, resolved.allowance > 0 && resolved.allowance < 1, 'must be above 0 and below 1: at 0, one error fails a canary whose stable has none', 'use e.g. 0.0005');
  check('ceiling', resolved.ceiling, resolved.ceiling > 0 && resolved.ceiling <= 1, 'must be above 0 and at most 1', 'use e.g. 0.5, above any shared outage');
  return resolved;
}

/**
 * Φ⁻¹(p), the standard normal quantile, by Acklam's rational approximation (relative error below
 * 1.15e-9 over (0, 1)); no refinement step, which would need a more exact Φ than {@link normalCdf}.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) return p === 0 ? -Infinity : p === 1 ? Infinity : NaN;
  const a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02,
    -3.066479806614716e+01, 2.506628277459239e+00];
  const b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01];
  const c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00,
    4.374664141464968e+00, 2.938163982698783e+00];
  const d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];
  const low = 0.02425;
  const tail = (q: number) => (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  if (p < low) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - low) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
    / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/** Φ(x), the standard normal distribution function (erfc by W. J. Cody's rational Chebyshev fit, via Numerical Recipes' erfcc; error < 1.2e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const erfc = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
    + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? 1 - erfc / 2 : erfc / 2;
}

/** z_crit = Φ⁻¹(1 − α/m), rounded up to 4 decimals so the rendered bound is never looser than the budget. */
export function criticalZ(alpha: number, measurements: number): number {
  return Math.ceil(normalQuantile(1 - alpha / measurements) * 1e4) / 1e4;
}

/** Anscombe's variance-stabilising offset for a Poisson count. */
export const ANSCOMBE_OFFSET = 0.375;

/** Errors added to stable's count where its variance is estimated, so that a stable window without errors is not taken as certain. */
export const STABLE_PRIOR_ERRORS = 1;

/** One window's counts of the canary and the stable pods. */
export interface WindowCounts {
  readonly canaryErrors: number;
  readonly canaryRequests: number;
  readonly stableErrors: number;
  readonly stableRequests: number;
}

/**
 * The number the comparison query returns for these counts, exactly as {@link comparisonQuery}'s PromQL
 * computes it: +Inf at the ceiling (with enough canary requests), NaN below the data floor, else the
 * Anscombe score. This is the in-process evaluator the simulation runs most seeds through; the
 * integration test proves it equal to a real Prometheus.
 */
export function comparisonStatistic(counts: WindowCounts, options: ResolvedComparison): number {
  const { canaryErrors: ce, canaryRequests: cn, stableErrors: se, stableRequests: sn } = counts;
  if (cn >= options.minRequests && ce >= options.ceiling * cn) return Infinity;
  if (cn < options.minRequests || sn < options.minRequests) return NaN;
  const lambda0 = cn * (options.ratio * se / sn + options.allowance);
  return 2 * (Math.sqrt(ce + ANSCOMBE_OFFSET) - Math.sqrt(lambda0 + ANSCOMBE_OFFSET)) / spread(cn, sn, se, lambda0, options);
}

/**
 * The standard deviation of the score's numerator: 1 for the canary's own count, plus what stable's
 * count adds through λ0 = k × E_s + allowance × N_c, k = ratio × N_c / N_s. By the delta method,
 * Var(2√(λ0 + 3/8)) ≈ k² Var(E_s) / (λ0 + 3/8), with Var(E_s) estimated as E_s + 1
 * ({@link STABLE_PRIOR_ERRORS}): a stable window without errors does not make its rate certain. Without
 * it, a canary split 50/50 with a stable at 1% errors aborted up to 4% of healthy releases in
 * `npm run simulate` (stable's count alone was too low by chance); it matters little at small canary
 * shares, where k is small.
 */
function spread(cn: number, sn: number, se: number, lambda0: number, options: ResolvedComparison): number {
  const k = options.ratio * cn / sn;
  return Math.sqrt(1 + k * k * (se + STABLE_PRIOR_ERRORS) / (lambda0 + ANSCOMBE_OFFSET));
}

/** Series selectors of one metric source, with the template args already in them. */
export interface ComparisonSelectors {
  /** The request counter's name. */
  readonly requests: string;
  /** The label matcher of server errors, e.g. `code=~"5.."`. */
  readonly serverErrors: string;
  /** The label matchers of the canary's requests. */
  readonly canary: string;
  /** The label matchers of the stable version's requests. */
  readonly stable: string;
}

/**
 * How many times `series` counted over the last `window`, in the scrape intervals in which the canary
 * took requests, without extrapolation. A subquery at the scrape interval `step` takes each interval's
 * increment of every series (its value minus its value one step before; a series absent then counts
 * from zero, since a counter that did not exist had counted nothing: the client library creates a 5xx
 * series at its first error, and `increase()` would extrapolate that series alone: in
 * promql/functions.go, extrapolatedRate extends to the window's start by up to half an interval, and
 * to zero only when the first sample is small enough, so 3 raw errors read as 7.55 in the issue's
 * replay), keeps it only where the canary's own requests rose in that interval, and sums them. So the
 * stable version is counted over the same time as the canary: never before the canary took its first
 * request, when an outage that began early in the release would dilute stable's rate but not the
 * canary's (#24), and never while the canary had no traffic. A counter reset counts as zero
 * (clamp_min), undercounting; pods are not restarted during a healthy step. `or vector(0)` makes the
 * count one sample even when no series exists.
 *
 * Prometheus evaluates the subquery at the multiples of `step` from `t − window` to `t`, the first
 * one included when it falls exactly on `t − window` (promql/engine.go, SubqueryExpr, up to 2.x;
 * 3.x left-opens ranges): {@link alignedWindowCounts} does the same.
 */
export function alignedCount(series: string, canaryRequests: string, window: string, step: string): string {
  // The parentheses keep the offset on the selector for every reader: lezer-promql (the grammar the
  // checks use) would otherwise read `a - b offset w` as an offset of the whole difference.
  const increments = (s: string) => `sum(clamp_min(${s} - (${s} offset ${step}), 0) or ${s})`;
  return `(sum_over_time((${increments(series)} and on() (${increments(canaryRequests)} > 0))[${window}:${step}]) or vector(0))`;
}

/** One scrape interval's increments of the four counters the comparison reads. */
export type IntervalCounts = WindowCounts;

/**
 * What {@link alignedCount} counts at `atS` seconds over `windowS`, from each scrape's increments
 * (`intervals[k]` is what the k-th scrape added, read by the subquery's step at `phaseS + k × scrapeS`,
 * the first step at or after the scrape): the intervals whose step is at or after `atS − windowS` and at
 * or before `atS` (Prometheus 2.x), each only when the canary took requests in it.
 */
export function alignedWindowCounts(intervals: readonly IntervalCounts[], scrapeS: number, atS: number, windowS: number, phaseS = 0): WindowCounts {
  let canaryErrors = 0;
  let canaryRequests = 0;
  let stableErrors = 0;
  let stableRequests = 0;
  const first = Math.max(1, Math.ceil((atS - windowS - phaseS) / scrapeS - 1e-9));
  const last = Math.min(intervals.length - 1, Math.floor((atS - phaseS) / scrapeS + 1e-9));
  for (let k = first; k <= last; k++) {
    const i = intervals[k];
    if (i.canaryRequests <= 0) continue;
    canaryErrors += i.canaryErrors;
    canaryRequests += i.canaryRequests;
    stableErrors += i.stableErrors;
    stableRequests += i.stableRequests;
  }
  return { canaryErrors, canaryRequests, stableErrors, stableRequests };
}

/**
 * The PromQL of the comparison: exactly one sample, the number {@link comparisonStatistic} computes
 * from {@link alignedWindowCounts}, with `step` the scrape interval of the queried metrics.
 * `result[0]` on an empty vector is a measurement Error in v1.9.1 (metricproviders/prometheus/prometheus.go
 * processResponse hands an empty slice to utils/evaluate/evaluate.go), so the last `or vector(NaN)`
 * guarantees one sample; all operands are label-free one-sample vectors, so `and`/`or` match them.
 */
export function comparisonQuery(selectors: ComparisonSelectors, window: string, step: string, options: ResolvedComparison): string {
  const { requests, serverErrors, canary, stable } = selectors;
  const count = (series: string) => alignedCount(series, `${requests}{${canary}}`, window, step);
  const ce = count(`${requests}{${canary},${serverErrors}}`);
  const cn = count(`${requests}{${canary}}`);
  const se = count(`${requests}{${stable},${serverErrors}}`);
  const sn = count(`${requests}{${stable}}`);
  const lambda0 = `${cn} * (${options.ratio} * ${se} / ${sn} + ${options.allowance})`;
  const spreadQuery = `sqrt(1 + (${options.ratio} * ${cn} / ${sn}) ^ 2 * (${se} + ${STABLE_PRIOR_ERRORS}) / (${lambda0} + ${ANSCOMBE_OFFSET}))`;
  return [
    `(vector(+Inf) and on() (${ce} >= ${options.ceiling} * ${cn}) and on() (${cn} >= ${options.minRequests}))`,
    `or (2 * (sqrt(${ce} + ${ANSCOMBE_OFFSET}) - sqrt(${lambda0} + ${ANSCOMBE_OFFSET})) / ${spreadQuery}`,
    `  and on() (${cn} >= ${options.minRequests}) and on() (${sn} >= ${options.minRequests}))`,
    'or vector(NaN)',
  ].join('\n');
}

/** ln(n!), by Lanczos's approximation of ln Γ(n + 1) (g = 7, 9 terms; relative error below 1e-13). */
export function logFactorial(n: number): number {
  const g = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  const x = n;
  let sum = g[0];
  for (let i = 1; i < 9; i++) sum += g[i] / (x + i);
  const t = x + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** P(X ≥ k) for X ~ Poisson(mean), summed term by term in log space (no underflow at large means). */
export function poissonTail(k: number, mean: number): number {
  if (k <= 0) return 1;
  if (mean <= 0) return 0;
  const logPmf = (i: number) => -mean + i * Math.log(mean) - logFactorial(i);
  const span = Math.ceil(40 * Math.sqrt(mean) + 60);
  let sum = 0;
  if (k > mean) {
    for (let i = k; i < k + span; i++) sum += Math.exp(logPmf(i));
    return Math.min(1, sum);
  }
  for (let i = Math.max(0, k - span); i < k; i++) sum += Math.exp(logPmf(i));
  return Math.max(0, 1 - sum);
}

/** The requests a measurement's window is expected to hold, and stable's error rate. */
export interface ExpectedWindow {
  readonly canaryRequests: number;
  readonly stableRequests: number;
  readonly stableRate: number;
}

/** The fewest canary errors that fail a measurement of this window, stable's errors at their expected count. */
export function errorsToFail(window: ExpectedWindow, options: ResolvedComparison, zCrit: number): number {
  return errorsToFailGiven(window.canaryRequests, window.stableRequests, window.stableRequests * window.stableRate, options, zCrit);
}

/** The fewest canary errors that fail a measurement with these counts; Infinity below the data floor, where it is Inconclusive. */
function errorsToFailGiven(cn: number, sn: number, se: number, options: ResolvedComparison, zCrit: number): number {
  if (cn < options.minRequests || sn < options.minRequests) return Infinity;
  const lambda0 = cn * (options.ratio * se / sn + options.allowance);
  const byScore = Math.floor((zCrit * spread(cn, sn, se, lambda0, options) / 2 + Math.sqrt(lambda0 + ANSCOMBE_OFFSET)) ** 2 - ANSCOMBE_OFFSET) + 1;
  return Math.min(byScore, Math.ceil(options.ceiling * cn));
}

/**
 * The smallest canary error rate caught with probability `power` by one measurement of this window:
 * the rate whose Poisson count reaches {@link errorsToFail} with that probability; bisection on the
 * rate. NaN below the data floor, where the measurement is Inconclusive.
 */
export function minimumDetectableRate(window: ExpectedWindow, options: ResolvedComparison, zCrit: number, power = 0.8): number {
  if (window.canaryRequests < options.minRequests || window.stableRequests < options.minRequests) return NaN;
  const k = errorsToFail(window, options, zCrit);
  let low = 0;
  let high = 1;
  for (let i = 0; i < 60; i++) {
    const mid = (low + high) / 2;
    if (poissonTail(k, window.canaryRequests * mid) >= power) high = mid;
    else low = mid;
  }
  return high;
}

/**
 * The comparison's parameters as the rendered query holds them: the tolerance ratio and allowance
 * are read back from `λ0 = N_c × (ratio × E_s / N_s + allowance)`; the floor and ceiling likewise.
 */
export function comparisonOf(metric: { readonly query: string }): ResolvedComparison {
  const number = (pattern: RegExp, fallback: number) => {
    const match = metric.query.match(pattern);
    return match ? Number(match[1]) : fallback;
  };
  return {
    ...COMPARISON_DEFAULTS,
    measurements: 1,
    ratio: number(/\* \((\d+(?:\.\d+)?) \* \(sum_over_time/, COMPARISON_DEFAULTS.ratio),
    allowance: number(/\) \+ ([\d.e-]+)\) \+ 0\.375/, COMPARISON_DEFAULTS.allowance),
    ceiling: number(/\) >= ([\d.]+) \* \(sum_over_time/, COMPARISON_DEFAULTS.ceiling),
    minRequests: number(/\) >= (\d+)\)/, COMPARISON_DEFAULTS.minRequests),
  };
}
