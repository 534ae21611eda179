import {
  ASSUMED_SCRAPE_INTERVAL_SECONDS, DETECTABLE_EFFECT_TARGET, PLAN_STABLE_ERROR_RATE, RECONCILE_SECONDS, RolloutPlan, abortBounds,
  comparisonMetric, comparisonStartBound, releaseDetectableRate, releaseStartBoundS, stepDetectableRate,
} from '../../delivery/plan';
import { ComparisonOutcome, replayComparison } from './comparison-replay';

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
   * The plan's abort bound at this rate and scrape, from the fault's start: for `bad-from-start` the
   * release's (delivery/plan, releaseStartBoundS), for `spike-step-N` step N's (comparisonStartBound),
   * for Prometheus down or hanging the first analysed step's; null where the plan states none.
   */
  readonly plan_bound_s: number | null;
  /** The smallest canary error rate the first analysed step catches by its end with 80% power at this rate and scrape. */
  readonly mde_pct: number | null;
  /** For `at-mde`: seeds aborted by the first analysed step (the one mde_pct is stated for); null otherwise. */
  readonly caught_in_step: number | null;
  /** Aborts later than plan_bound_s: the bound is the 99th percentile of the plan's own draws, so about 1% of them. */
  readonly late_aborts: number;
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

/** The error rate the first step judged against stable catches by its end with 80% power at `rps` (delivery/plan, stepDetectableRate). */
export function firstStepMde(plan: RolloutPlan, rps: number, scrapeS: number, baseline = 0.001): number | undefined {
  const step = plan.steps.find(s => comparisonMetric(s));
  const rate = step && stepDetectableRate(plan, step, rps, scrapeS, baseline);
  return rate === undefined || Number.isNaN(rate) ? undefined : rate;
}

/** Seeds of a bound-checked scenario per seed of a healthy one: its 99th percentile is compared with the plan's bound. */
const BOUND_SEED_FACTOR = 5;

/** Seeds per scenario: `seeds` for healthy-type ones, five times as many where the abort time's 99th percentile is checked, a fifth (at least 20) for the others. */
function seedsOf(scenario: Scenario, seeds: number): number {
  if (scenario.innocent) return seeds;
  if (scenario.name === 'bad-from-start' || scenario.name.startsWith('spike-step-')) return BOUND_SEED_FACTOR * seeds;
  return Math.max(20, Math.floor(seeds / 5));
}

/**
 * Every Rollout × scenario × rate, replayed in process, {@link seedsOf} releases each. Progress goes
 * to `log`.
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
        const mde = firstStepMde(plan, rps, scrapeS);
        const mde1pct = firstStepMde(plan, rps, scrapeS, 0.01);
        for (const scenario of scenarios(plan, mde, mde1pct)) {
          if ((scenario.name === 'no-traffic') !== (rps === 0)) continue;
          if (scenario.prometheus && rps !== (plan.expectedRps ?? 10)) continue;
          if (scrapeS !== scrapes[0] && !MESH_SCENARIOS.includes(scenario.name)) continue;
          const n = seedsOf(scenario, seeds);
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
  const bound = planBound(plan, scenario, rps, scrapeS);
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
    plan_bound_s: bound,
    late_aborts: bound === null ? 0 : times.filter(t => t > bound).length,
    mde_pct: mde === undefined ? null : round(mde * 100, 3),
    caught_in_step: scenario.name === 'at-mde' ? aborted.filter(o => o.endS < firstStepDecidedByS(plan)).length : null,
  };
}

function round(value: number, digits = 1): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/**
 * The plan's bound for a row: bad-from-start's at the row's rate and scrape, from the release's start
 * (releaseStartBoundS); spike-step-N's, the bound of a canary bad from step N's start, from that start
 * (comparisonStartBound); for Prometheus down or hanging, the first analysed step's start plus its
 * Prometheus-down bound (abortBounds); else null.
 */
function planBound(plan: RolloutPlan, scenario: Scenario, rps: number, scrapeS: number): number | null {
  if (scenario.name === 'bad-from-start') return releaseStartBoundS(plan, rps, scrapeS) ?? null;
  const spiked = plan.steps.find(s => scenario.name === `spike-step-${s.index}`);
  if (spiked) {
    const bound = comparisonStartBound(plan, spiked, rps, scrapeS);
    return bound?.kind === 'abort' ? bound.boundS : null;
  }
  const step = plan.steps.find(s => s.metrics.length > 0);
  const downS = step && abortBounds(step).prometheusDownS;
  return scenario.prometheus && step && downS !== undefined ? step.startS + downS : null;
}

/**
 * The time before which an abort can only be the first judged step's: the next step's first
 * measurement (one reconcile and its initialDelay after the first step's last measurement), or the
 * first step's end plus a reconcile when nothing is measured after it.
 */
function firstStepDecidedByS(plan: RolloutPlan): number {
  const judged = plan.steps.filter(s => s.metrics.length > 0);
  const first = judged.find(s => comparisonMetric(s));
  if (!first) return 0;
  const endS = first.startS + first.durationS;
  const next = judged.find(s => s.index > first.index);
  return endS + RECONCILE_SECONDS + (next ? Math.min(...next.metrics.map(m => m.initialDelayS)) : 0);
}

/** The #24 targets as judged: one line each, whether all are met, and whether the judgement's guarantees are. */
export interface TargetSummary {
  readonly lines: readonly string[];
  readonly met: boolean;
  /**
   * Whether the targets the judgement itself guarantees, whatever a fleet declares, are met: false
   * aborts, no traffic pausing, aborts within the plan's bounds. The others (pauses and power at the
   * declared rate, detection speed, bounds' tightness) depend on the fleet's rates and steps, which
   * `npm run plan` states.
   */
  readonly guaranteesMet: boolean;
}

/**
 * One line per target of #24, judged on pooled seeds where it is statistical, marked met or not met:
 * false aborts per healthy and shared-outage scenario (pooled ≤ 1%, no row above 3%); healthy releases
 * paused at each Rollout's declared rate (≤ 1%); no traffic (paused, never aborted); bad from start at
 * 50 requests/s and more with a 10 s scrape (95% within 45 s, at the first step's exposure); the
 * release's detectable effect at its declared rate (at most 2 points above a 0.1% stable, from the
 * plan); `at-mde` caught by its step (pooled ≥ 75%, no row below 60%); and the abort bounds (aborts
 * later than the plan's bound at most 1%, the bound's own confidence, pooled; every bound of
 * bad-from-start and spike-step-N at most 1.25× its row's 99th percentile, `bound tightness`).
 */
export function targetSummary(rows: readonly MatrixRow[], plans: readonly RolloutPlan[]): TargetSummary {
  const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
  const sum = (of: readonly MatrixRow[], field: (r: MatrixRow) => number) => of.reduce((n, r) => n + field(r), 0);
  const results: { line: string; met: boolean; guarantee: boolean }[] = [];
  const target = (name: string, text: string, met: boolean) => results.push({ line: `target ${name}: ${text}: ${met ? 'met' : 'not met'}`, met, guarantee: GUARANTEES.includes(name) });

  for (const name of ['healthy', 'healthy-1pct', 'shared-outage', 'shared-outage-onset']) {
    const of = rows.filter(r => r.scenario === name);
    const seeds = sum(of, r => r.seeds);
    const aborted = sum(of, r => r.aborted);
    const worst = Math.max(0, ...of.map(r => r.aborted / r.seeds));
    target(name, `false aborts ${aborted}/${seeds} = ${pct(seeds ? aborted / seeds : 0)} pooled (≤ 1%), worst row ${pct(worst)} (≤ 3%)`,
      seeds > 0 && aborted / seeds <= 0.01 && worst <= 0.03);
  }
  const declared = rows.filter(r => r.scenario === 'healthy' && r.rps === r.declared_rps);
  const worstPaused = declared.reduce<MatrixRow | undefined>((w, r) => (!w || r.paused / r.seeds > w.paused / w.seeds ? r : w), undefined);
  target('declared-rate pauses', `healthy releases paused at their declared rate, worst ${worstPaused ? `${pct(worstPaused.paused / worstPaused.seeds)} (${worstPaused.rollout})` : 'none declared'} (≤ 1%)`,
    declared.every(r => r.paused / r.seeds <= 0.01));
  const idle = rows.filter(r => r.scenario === 'no-traffic');
  target('no-traffic', `${sum(idle, r => r.paused)}/${sum(idle, r => r.seeds)} paused, ${sum(idle, r => r.aborted)} aborted (all paused, none aborted)`,
    idle.every(r => r.paused === r.seeds));
  const fast = rows.filter(r => r.scenario === 'bad-from-start' && r.rps >= 50 && r.scrape_s === 10);
  const slow = fast.filter(r => r.abort_s_p95 === null || r.abort_s_p95 > 45);
  const exposed = fast.filter(r => r.max_exposure_pct > (plans.find(p => `${p.environment}/${p.service}` === r.rollout)?.exposure.share ?? 100));
  target('bad-from-start', `at 50 requests/s and more with a 10 s scrape, ${fast.length - slow.length}/${fast.length} rows abort 95% within 45 s`
    + ` and ${fast.length - exposed.length}/${fast.length} within the first step's share`, slow.length === 0 && exposed.length === 0);
  const effects = plans.filter(p => p.expectedRps !== undefined)
    .map(p => ({ p, rate: releaseDetectableRate(p, p.expectedRps!, p.scrapeIntervalS ?? ASSUMED_SCRAPE_INTERVAL_SECONDS) }));
  const blind = effects.filter(e => e.rate === undefined || Number.isNaN(e.rate) || e.rate > PLAN_STABLE_ERROR_RATE + DETECTABLE_EFFECT_TARGET);
  const blindNames = blind.map(e => `${e.p.environment}/${e.p.service}`).join(', ');
  target('detectable effect', `at the declared rate ${effects.length - blind.length}/${effects.length} releases catch ${DETECTABLE_EFFECT_TARGET * 100} points `
    + `above a 0.1% stable by their end${blind.length ? ` (not: ${blindNames})` : ''}`, blind.length === 0);
  const mde = rows.filter(r => r.scenario === 'at-mde' && r.mde_pct !== null && r.caught_in_step !== null);
  const mdeSeeds = sum(mde, r => r.seeds);
  const caught = sum(mde, r => r.caught_in_step ?? 0);
  const worstCaught = Math.min(1, ...mde.map(r => (r.caught_in_step ?? 0) / r.seeds));
  target('at-mde', `caught by its step ${caught}/${mdeSeeds} = ${pct(mdeSeeds ? caught / mdeSeeds : 0)} pooled (≥ 75%), worst row ${pct(worstCaught)} (≥ 60%)`,
    mdeSeeds > 0 && caught / mdeSeeds >= 0.75 && worstCaught >= 0.6);
  const bounded = rows.filter(r => r.plan_bound_s !== null && r.aborted > 0);
  const late = sum(bounded, r => r.late_aborts);
  const aborts = sum(bounded, r => r.aborted);
  const checked = bounded.filter(r => (r.scenario === 'bad-from-start' || r.scenario.startsWith('spike-step-')) && r.abort_s_p99 !== null);
  const loose = checked.filter(r => r.plan_bound_s! > 1.25 * r.abort_s_p99!);
  const looseNames = loose.slice(0, 5).map(r => `${r.rollout} ${r.scenario} at ${r.rps} rps, ${r.scrape_s} s scrape: ${r.plan_bound_s} s against ${r.abort_s_p99} s`);
  target('abort bounds', `${late}/${aborts} = ${pct(aborts ? late / aborts : 0)} of aborts later than the plan's bound (≤ 1%)`, aborts === 0 || late / aborts <= 0.01);
  target('bound tightness', `${checked.length - loose.length}/${checked.length} bounds within 1.25× their row's 99th percentile${loose.length ? ` (not: ${looseNames.join('; ')})` : ''}`,
    loose.length === 0);
  return { lines: results.map(r => r.line), met: results.every(r => r.met), guaranteesMet: results.filter(r => r.guarantee).every(r => r.met) };
}

/** The targets the judgement guarantees whatever a fleet declares (see {@link TargetSummary.guaranteesMet}). */
const GUARANTEES = ['healthy', 'healthy-1pct', 'shared-outage', 'shared-outage-onset', 'no-traffic', 'abort bounds'];
