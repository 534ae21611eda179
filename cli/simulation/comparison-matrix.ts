import { RolloutPlan, abortBounds, releaseStartBoundS } from '../../delivery/plan';
import { minimumDetectableRate } from '../../lib/analysis/canary-comparison';
import { COMPARISON_METRIC, comparisonOf, ComparisonOutcome, replayComparison } from './comparison-replay';

/** Routers whose metrics another monitor scrapes (delivery/plan, routerOf), replayed at {@link MESH_SCRAPES} too. */
export const MESH_ROUTERS = ['istio', 'ingress-nginx'];
/** The further scrape intervals of #24 for a mesh's or an ingress controller's metrics. */
export const MESH_SCRAPES = [15, 30];
/** The scenarios replayed at those scrapes: the false-abort ones and bad-from-start. */
const MESH_SCENARIOS = ['healthy', 'healthy-1pct', 'shared-outage', 'shared-outage-onset', 'bad-from-start'];

/** The total request rates every Rollout is replayed at, besides its declared one. */
export const MATRIX_RATES = [0, 0.5, 2, 10, 50, 200] as const;

/** One JSON line of the matrix: a Rollout × scenario × rate, pooled over seeds. */
export interface MatrixRow {
  readonly rollout: string;
  readonly routing: string;
  readonly scenario: string;
  readonly rps: number;
  readonly declared_rps: number | null;
  readonly baseline_error_pct: number;
  readonly scrape_s: number;
  readonly seeds: number;
  readonly promoted: number;
  readonly paused: number;
  readonly aborted: number;
  /** Aborted ÷ seeds, for the scenarios where the canary is not at fault; null otherwise. */
  readonly false_abort_rate: number | null;
  readonly abort_s_p50: number | null;
  readonly abort_s_p95: number | null;
  readonly abort_s_p99: number | null;
  readonly abort_s_max: number | null;
  readonly max_exposure_pct: number;
  readonly bad_requests_max: number;
  /**
   * For `bad-from-start`, the plan's bad-from-start abort bound of the release at this rate and scrape
   * (delivery/plan, releaseStartBoundS); null where the plan states none, and for the other scenarios.
   */
  readonly plan_bound_s: number | null;
  /** The smallest canary error rate one measurement of the first analysed step catches with 80% power at this rate. */
  readonly mde_pct: number | null;
  /** For `at-mde`: seeds aborted before the first analysed step (the one mde_pct is stated for) ends; null otherwise. */
  readonly caught_in_step: number | null;
}

interface Scenario {
  readonly name: string;
  readonly baseline: number;
  readonly innocent: boolean;
  /** Prometheus refusing (`down`) or never answering (`hanging`) every query from the start. */
  readonly prometheus?: 'down' | 'hanging';
  /** Canary and stable error rates at a time, and when the fault began (for abort times). */
  readonly rates: (seed: number, endS: number) => { canary: (t: number) => number; stable: (t: number) => number; onsetS: number };
}

const steady = (canary: number, stable: number) => () => ({ canary: () => canary, stable: () => stable, onsetS: 0 });

/**
 * The scenarios of #24 that the in-process evaluator replays; `prometheus-down` and
 * `prometheus-hanging` are the controller's handling of Error measurements (every query fails, each
 * retried 10 s later, the run errors past consecutiveErrorLimit: analysis/analysis.go), replayed at
 * the declared rate only (the traffic does not matter), the real server being ./replay.ts's.
 */
function scenarios(plan: RolloutPlan, mdeRate: number | undefined, mdeRate1pct: number | undefined): Scenario[] {
  const list: Scenario[] = [
    { name: 'healthy', baseline: 0.001, innocent: true, rates: steady(0.001, 0.001) },
    { name: 'healthy-1pct', baseline: 0.01, innocent: true, rates: steady(0.01, 0.01) },
    { name: 'shared-outage', baseline: 0.001, innocent: true, rates: steady(0.05, 0.05) },
    {
      name: 'shared-outage-onset', baseline: 0.001, innocent: true, rates: (seed, endS) => {
        const onsetS = ((seed * 2654435761) % 1000) / 1000 * endS;
        const rate = (t: number) => (t >= onsetS ? 0.05 : 0.001);
        return { canary: rate, stable: rate, onsetS };
      },
    },
    { name: 'bad-from-start', baseline: 0.001, innocent: false, rates: steady(0.2, 0.001) },
    { name: 'five-x', baseline: 0.001, innocent: false, rates: steady(0.005, 0.001) },
    { name: 'five-x', baseline: 0.01, innocent: false, rates: steady(0.05, 0.01) },
    { name: 'no-traffic', baseline: 0.001, innocent: true, rates: steady(0.001, 0.001) },
    { name: 'prometheus-down', baseline: 0.001, innocent: false, prometheus: 'down', rates: steady(0.001, 0.001) },
    { name: 'prometheus-hanging', baseline: 0.001, innocent: false, prometheus: 'hanging', rates: steady(0.001, 0.001) },
  ];
  if (mdeRate !== undefined) list.push({ name: 'at-mde', baseline: 0.001, innocent: false, rates: steady(mdeRate, 0.001) });
  if (mdeRate1pct !== undefined) list.push({ name: 'at-mde', baseline: 0.01, innocent: false, rates: steady(mdeRate1pct, 0.01) });
  plan.steps.filter(s => s.metrics.length > 0).forEach(step => {
    list.push({ name: `spike-step-${step.index}`, baseline: 0.001, innocent: false, rates: () => ({
      canary: (t: number) => (t >= step.startS ? 0.2 : 0.001), stable: () => 0.001, onsetS: step.startS,
    }) });
  });
  return list;
}

/** The minimum detectable canary error rate of one measurement of the first analysed step at `rps`. */
export function firstStepMde(plan: RolloutPlan, rps: number, baseline = 0.001): number | undefined {
  const step = plan.steps.find(s => s.metrics.some(m => m.name === COMPARISON_METRIC));
  const metric = step?.metrics.find(m => m.name === COMPARISON_METRIC);
  if (!step || !metric?.threshold) return undefined;
  const requests = rps * step.share / 100 * metric.windowS;
  const rate = minimumDetectableRate(Math.floor(requests), baseline, comparisonOf(metric), metric.threshold.bound);
  return Number.isNaN(rate) ? undefined : rate;
}

/**
 * Every Rollout × scenario × rate, replayed in process: `seeds` releases per healthy-type scenario, a
 * fifth of them (at least 20) for the others. Progress goes to `log`.
 */
export async function comparisonMatrix(
  plans: readonly RolloutPlan[], seeds: number, log: (line: string) => void = () => undefined,
): Promise<MatrixRow[]> {
  const rows: MatrixRow[] = [];
  for (const plan of plans) {
    const rollout = `${plan.environment}/${plan.service}`;
    const rates = [...new Set([...MATRIX_RATES, ...plan.expectedRps === undefined ? [] : [plan.expectedRps]])];
    const nominal = await replayComparison({ plan, rps: 0, scrapeS: 10, seed: 1, canaryErrorRate: () => 0, stableErrorRate: () => 0 });
    log(`${rollout}: ${rates.length} rates`);
    // #24: a mesh's or an ingress controller's metrics are scraped by their own monitor, also at 15 s and 30 s.
    const scrapes = [...new Set([plan.scrapeIntervalS ?? 10, ...MESH_ROUTERS.includes(plan.router ?? '') ? MESH_SCRAPES : []])];
    for (const scrapeS of scrapes) {
      for (const rps of rates) {
        const mde = firstStepMde(plan, rps);
        const mde1pct = firstStepMde(plan, rps, 0.01);
        for (const scenario of scenarios(plan, mde, mde1pct)) {
          if ((scenario.name === 'no-traffic') !== (rps === 0)) continue;
          if (scenario.prometheus && rps !== (plan.expectedRps ?? 10)) continue;
          if (scrapeS !== scrapes[0] && !MESH_SCENARIOS.includes(scenario.name)) continue;
          const n = scenario.innocent ? seeds : Math.max(20, Math.floor(seeds / 5));
          const outcomes: Outcome[] = [];
          for (let seed = 1; seed <= n; seed++) {
            const { canary, stable, onsetS } = scenario.rates(seed, nominal.endS);
            const outcome = await replayComparison({ plan, rps, scrapeS, seed, canaryErrorRate: canary, stableErrorRate: stable,
              prometheus: scenario.prometheus });
            outcomes.push({ ...outcome, onsetS });
          }
          rows.push(summarize(plan, rollout, scenario, rps, n, outcomes, scenario.baseline === 0.01 ? mde1pct : mde, scrapeS));
        }
      }
    }
  }
  return rows;
}

type Outcome = ComparisonOutcome & { onsetS: number };

function summarize(
  plan: RolloutPlan, rollout: string, scenario: Scenario, rps: number, n: number, outcomes: readonly Outcome[],
  mde: number | undefined, scrapeS: number,
): MatrixRow {
  const aborted = outcomes.filter(o => o.verdict === 'Aborted');
  const times = aborted.map(o => Math.max(0, o.endS - o.onsetS)).sort((a, b) => a - b);
  const quantile = (p: number) => (times.length === 0 ? null : round(times[Math.min(times.length - 1, Math.ceil(p * times.length) - 1)]));
  const exposureOf = (o: Outcome) => (o.verdict === 'Promoted' ? 100 : Math.max(0, ...o.shares.filter(s => s.atS <= o.endS).map(s => s.share)));
  const exposure = Math.max(0, ...outcomes.map(exposureOf));
  return {
    rollout,
    routing: plan.router ?? 'replicas',
    scenario: scenario.name,
    rps,
    declared_rps: plan.expectedRps ?? null,
    baseline_error_pct: scenario.baseline * 100,
    scrape_s: scrapeS,
    seeds: n,
    promoted: outcomes.filter(o => o.verdict === 'Promoted').length,
    paused: outcomes.filter(o => o.verdict === 'Paused').length,
    aborted: aborted.length,
    false_abort_rate: scenario.innocent ? round(aborted.length / n, 4) : null,
    abort_s_p50: quantile(0.5),
    abort_s_p95: quantile(0.95),
    abort_s_p99: quantile(0.99),
    abort_s_max: times.length === 0 ? null : round(times[times.length - 1]),
    max_exposure_pct: round(exposure),
    bad_requests_max: Math.max(0, ...outcomes.map(o => o.badRequests)),
    plan_bound_s: planBound(plan, scenario, rps, scrapeS),
    mde_pct: mde === undefined ? null : round(mde * 100, 3),
    caught_in_step: scenario.name === 'at-mde' ? aborted.filter(o => o.endS <= firstStepEndS(plan)).length : null,
  };
}

function round(value: number, digits = 1): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/**
 * The plan's bound for a row: bad-from-start's at the row's rate (releaseStartBoundS); for Prometheus
 * down or hanging, the first analysed step's start plus its Prometheus-down bound (abortBounds); else null.
 */
function planBound(plan: RolloutPlan, scenario: Scenario, rps: number, scrapeS: number): number | null {
  if (scenario.name === 'bad-from-start') return releaseStartBoundS(plan, rps, scrapeS) ?? null;
  const step = plan.steps.find(s => s.metrics.length > 0);
  const downS = step && abortBounds(step).prometheusDownS;
  return scenario.prometheus && step && downS !== undefined ? step.startS + downS : null;
}

/** The rows with an abort later than the plan's bound at their rate. */
export function lateRows(rows: readonly MatrixRow[]): MatrixRow[] {
  return rows.filter(r => r.abort_s_max !== null && r.plan_bound_s !== null && r.abort_s_max > r.plan_bound_s);
}

/** When the first step judged against stable ends, at the earliest. */
function firstStepEndS(plan: RolloutPlan): number {
  const step = plan.steps.find(s => s.metrics.some(m => m.name === COMPARISON_METRIC));
  return step ? step.startS + step.durationS : 0;
}

/**
 * One line per target of #24 judged on pooled seeds, marked met or not met: for each false-abort
 * scenario, aborted ÷ seeds pooled over rates, scrapes and rollouts at most 1% with no row above 3%;
 * `at-mde`, pooled over the rows where the plan states an effect (the step can decide), caught before
 * the step ends in at least 75% of seeds with no row below 60%.
 */
export function targetSummary(rows: readonly MatrixRow[]): string[] {
  const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
  const lines = ['healthy', 'healthy-1pct', 'shared-outage', 'shared-outage-onset'].map(name => {
    const of = rows.filter(r => r.scenario === name);
    const seeds = of.reduce((n, r) => n + r.seeds, 0);
    const aborted = of.reduce((n, r) => n + r.aborted, 0);
    const worst = Math.max(0, ...of.map(r => r.aborted / r.seeds));
    const met = seeds > 0 && aborted / seeds <= 0.01 && worst <= 0.03;
    return `target ${name}: false aborts ${aborted}/${seeds} = ${pct(seeds ? aborted / seeds : 0)} pooled (≤ 1%), worst row ${pct(worst)} (≤ 3%): ${met ? 'met' : 'not met'}`;
  });
  const mde = rows.filter(r => r.scenario === 'at-mde' && r.mde_pct !== null && r.caught_in_step !== null);
  const seeds = mde.reduce((n, r) => n + r.seeds, 0);
  const caught = mde.reduce((n, r) => n + (r.caught_in_step ?? 0), 0);
  const worst = Math.min(1, ...mde.map(r => (r.caught_in_step ?? 0) / r.seeds));
  const met = seeds > 0 && caught / seeds >= 0.75 && worst >= 0.6;
  lines.push(`target at-mde: caught before the step ends ${caught}/${seeds} = ${pct(seeds ? caught / seeds : 0)} pooled (≥ 75%), worst row ${pct(worst)} (≥ 60%): ${met ? 'met' : 'not met'}`);
  return lines;
}
