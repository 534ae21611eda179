import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { DIST } from '../../delivery/commit';
import { MetricPlan, RolloutPlan, ServiceObjects, abortBounds, asKind, measurementTimeS, planRollout, readServiceFolders, seededRandom } from '../../delivery/plan';
import { measureOnce } from '../../lib/analysis';
import { IntervalCounts, alignedWindowCounts, comparisonOf, comparisonStatistic } from '../../lib/analysis/canary-comparison';
import { COMPARISON_METRIC_NAME } from '../../lib/analysis/presets';
import { PrometheusServer } from '../support/prometheus-server';

import { Measure, MeasurementResult, ReplayResult, replayRelease } from './controller-model';
import { IntervalCount, MetricsSource, SyntheticRelease, errorsServed, writeOpenMetrics } from './synthetic-metrics';

/** The error rate of a bad release and of a spike; the plan's bounds are stated for the same. */
const BAD_ERROR_RATE = 0.2;
/** The baseline error rate of a healthy canary. */
const HEALTHY_ERROR_RATE = 0.001;
/** The error rate a slow degradation reaches by the end of the first analysis. */
const DEGRADED_ERROR_RATE = 0.02;
/** The traffic assumed where a Rollout declares none, in requests per second. */
const DEFAULT_REQUESTS_PER_SECOND = 10;
/** Replays whose queries run at once against the one Prometheus. */
const CONCURRENCY = 8;

/** One line of the simulation's results: a Rollout under one scenario. */
export interface ScenarioResult {
  readonly rollout: string;
  readonly routing: 'gateway-api' | 'istio' | 'nginx' | 'replicas';
  readonly scenario: string;
  readonly verdict: ReplayResult['verdict'];
  /** Seconds from the first bad request (or Prometheus failing) to the abort; null when not aborted or nothing was bad. */
  readonly abort_s: number | null;
  /** The highest share of traffic the canary had before the release ended, in percent. */
  readonly max_exposure_pct: number;
  /** Error responses the canary served until traffic returned to stable (the abort), or until the release ended. */
  readonly bad_requests: number;
  /** The plan's bound for this scenario, or null where it states none. */
  readonly plan_bound_s: number | null;
  /** Healthy only: the share of the seeded replays that aborted. */
  readonly false_abort_rate?: number;
  /** What decided the verdict, e.g. the no-data policy. */
  readonly note?: string;
}

/** Options of {@link simulate}. */
export interface SimulateOptions {
  /** The repository root; the Rollouts are read from its `dist/`. */
  readonly root: string;
  /**
   * Seeded replays of a healthy canary per Rollout, for the false-abort rate.
   * @default 200
   */
  readonly healthyRuns?: number;
  /**
   * Progress messages.
   * @default - none
   */
  readonly log?: (message: string) => void;
}

/** A Rollout read from `dist/` with what a replay needs beyond its plan. */
interface SimulatedRollout {
  readonly plan: RolloutPlan;
  readonly source: MetricsSource;
  readonly routing: ScenarioResult['routing'];
  readonly canaryService: string;
  readonly stableService: string;
  readonly servicePort: number;
  readonly istioReporter: 'source' | 'waypoint';
  readonly scrapeIntervalS: number;
  readonly requestsPerSecond: number;
  /** The nominal release: every measurement successful at once. */
  readonly nominal: ReplayResult;
}

/** One replay: a Rollout, a scenario, and its traffic. */
interface Replay {
  readonly rollout: SimulatedRollout;
  readonly scenario: string;
  readonly onsetS: number;
  readonly prometheus: 'up' | 'down' | 'hanging';
  readonly boundS: number | undefined;
  readonly release?: SyntheticRelease;
  readonly note?: string;
}

/**
 * The in-process evaluator checked against Prometheus: every `error-rate-vs-stable` measurement of the
 * replays, computed by both from the same synthetic traffic.
 */
export interface EvaluatorCheck {
  /** Comparison measurements taken against the real Prometheus. */
  readonly measurements: number;
  /** Those where Prometheus's value differs from the in-process one, each described. */
  readonly mismatches: readonly string[];
}

/** What {@link simulate} found. */
export interface SimulationResult {
  readonly results: ScenarioResult[];
  readonly plans: RolloutPlan[];
  readonly evaluator: EvaluatorCheck;
}

/**
 * Replays every Rollout in `dist/` through a release as the Argo Rollouts v1.9.1 controller schedules
 * it (./controller-model.ts), against a real Prometheus holding synthetic pod metrics for each
 * scenario, backfilled with promtool. Each measurement runs the template's rendered query, args
 * substituted, at its scheduled time, and is judged by the same Threshold that rendered the template.
 * Prometheus refusing is real (a closed port); hanging is modeled as the query timeout passing in
 * virtual time. No real clock is waited on. Every comparison measurement is also computed in process
 * from the same traffic ({@link EvaluatorCheck}): the proof that the matrix of ./comparison-matrix.ts,
 * which runs in process only, reads what Prometheus would return.
 */
export async function simulate(options: SimulateOptions): Promise<SimulationResult> {
  const log = options.log ?? (() => undefined);
  const rollouts = await readRollouts(path.join(options.root, DIST));
  const replays = rollouts.flatMap(r => scenariosOf(r, options.healthyRuns ?? 200));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'simulate-'));
  let prometheus: PrometheusServer | undefined;
  try {
    const withData = replays.filter(r => r.release);
    const originEpochS = Math.floor(Date.now() / 1000) - 3 * 3600;
    log(`writing ${withData.length} synthetic releases and backfilling them with promtool`);
    const traffic = writeOpenMetrics(path.join(dir, 'metrics.om'), withData.map(r => r.release!), originEpochS);
    const trafficOf = new Map(withData.map((r, i) => [r, traffic[i]]));
    prometheus = await PrometheusServer.fromOpenMetrics(path.join(dir, 'metrics.om'));
    const refused = await closedPort();
    log(`prometheus at ${prometheus.url}; replaying ${replays.length} releases`);
    const url = prometheus.url;
    let measurements = 0;
    const mismatches: string[] = [];
    const outcomes = await mapLimit(replays, CONCURRENCY, replay => {
      const counts = trafficOf.get(replay);
      const check = counts && comparisonCheck(`${replay.release!.namespace} (${replay.scenario})`, counts, originEpochS, replay.rollout.scrapeIntervalS, mismatch => {
        measurements += 1;
        if (mismatch) mismatches.push(mismatch);
      });
      return replayRelease(replay.rollout.plan, measureFor(replay, replay.prometheus === 'down' ? refused : url, originEpochS, check));
    }, done => log(`replayed ${done} of ${replays.length} releases`));
    return { results: summarize(replays, outcomes, trafficOf), plans: rollouts.map(r => r.plan), evaluator: { measurements, mismatches } };
  } finally {
    await prometheus?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Compares one measurement's values from Prometheus with the in-process evaluator's. */
export type ComparisonCheck = (metric: Pick<MetricPlan, 'name' | 'query' | 'windowS'>, atS: number, values: readonly number[]) => void;

/**
 * For the comparison measurements of the replay named `label`: the in-process value
 * ({@link comparisonStatistic} of {@link alignedWindowCounts}, as ./comparison-replay.ts computes it)
 * from the replay's own traffic as the subquery sees it ({@link subqueryIntervals}), at the time
 * Prometheus reads from `time=` (to the millisecond: web/api/v1/api.go, parseTime, v2.42.0). `record`
 * gets each comparison measurement, with a description when Prometheus's values are not exactly that
 * one number; other metrics are not recorded.
 */
export function comparisonCheck(
  label: string, traffic: readonly IntervalCount[], originEpochS: number, scrapeS: number, record: (mismatch?: string) => void,
): ComparisonCheck {
  const { intervals, phaseS } = subqueryIntervals(traffic, originEpochS, scrapeS);
  return (metric, atS, values) => {
    if (metric.name !== COMPARISON_METRIC_NAME) return;
    const readAtS = Math.round(atS * 1000) / 1000;
    const expected = comparisonStatistic(alignedWindowCounts(intervals, scrapeS, readAtS, metric.windowS, phaseS), comparisonOf(metric));
    const equal = values.length === 1 && (values[0] === expected || (Number.isNaN(values[0]) && Number.isNaN(expected)));
    record(equal ? undefined : `${label} ${metric.name} at ${atS} s: Prometheus [${values.join(', ')}], in process ${expected}`);
  };
}

/**
 * A replay's traffic as the comparison's subquery (lib/analysis/canary-comparison.ts, alignedCount)
 * sees it, for {@link alignedWindowCounts}: `intervals[k]` what the k-th scrape added, and `phaseS`
 * where the subquery step that reads it falls, relative to the release's start at `originEpochS`.
 * Prometheus evaluates a subquery at the multiples of its step since the Unix epoch
 * (promql/engine.go, SubqueryExpr, v2.42.0: `newEv.startTimestamp = newEv.interval * (... /
 * newEv.interval)`), and each step reads the last scrape at or before it: a scrape is counted from the
 * first step at or after it, up to a step later than the scrape itself. `traffic` holds one entry per
 * scrape, `scrapeS` apart (./synthetic-metrics.ts, canaryTraffic), the step being the scrape interval.
 */
export function subqueryIntervals(
  traffic: readonly IntervalCount[], originEpochS: number, scrapeS: number,
): { intervals: IntervalCounts[]; phaseS: number } {
  const firstScrape = originEpochS + (traffic[0]?.atS ?? 0);
  const phaseS = Math.ceil(firstScrape / scrapeS - 1e-9) * scrapeS - originEpochS;
  const intervals = traffic.map(c => ({
    canaryErrors: c.errors, canaryRequests: c.requests, stableErrors: c.stableErrors, stableRequests: c.stableRequests,
  }));
  return { intervals, phaseS };
}

/** The Rollouts of `dist/` that a replay can drive: canary strategy, analysis judged by a Threshold. */
async function readRollouts(dist: string): Promise<SimulatedRollout[]> {
  const rollouts: SimulatedRollout[] = [];
  for (const folder of readServiceFolders(dist)) {
    const plan = planRollout(folder);
    if (!plan) continue;
    const rollout = asKind(folder.objects, 'Rollout')[0];
    const canary = rollout.spec!.strategy!.canary!;
    const canaryService = canary.canaryService ?? `${plan.service}-canary`;
    const nominal = await replayRelease(plan, async () => ({ phase: 'Successful', durationS: 0 }));
    rollouts.push({
      plan,
      source: plan.router === 'istio' ? 'istio' : plan.router === 'ingress-nginx' ? 'nginx' : 'app',
      routing: plan.router === undefined ? 'replicas' : plan.router === 'gateway api' ? 'gateway-api' : plan.router === 'ingress-nginx' ? 'nginx' : 'istio',
      canaryService,
      stableService: canary.stableService ?? `${plan.service}-stable`,
      servicePort: servicePort(folder, canaryService),
      // The reporter the template selects: the waypoint's in Istio's ambient mode (MetricSource.ISTIO_WAYPOINT).
      istioReporter: plan.steps.some(step => step.metrics.some(m => m.query.includes('reporter="waypoint"'))) ? 'waypoint' : 'source',
      scrapeIntervalS: plan.scrapeIntervalS ?? 10,
      requestsPerSecond: plan.expectedRps ?? DEFAULT_REQUESTS_PER_SECOND,
      nominal,
    });
  }
  return rollouts;
}

function servicePort(folder: ServiceObjects, name: string): number {
  const service = asKind(folder.objects, 'Service').find(s => s.metadata?.name === name);
  return Number(service?.spec?.ports?.[0]?.port ?? 80);
}

/** Every scenario of one Rollout, each with its traffic and the plan's bound for it. */
function scenariosOf(rollout: SimulatedRollout, healthyRuns: number): Replay[] {
  const { plan, scrapeIntervalS: s } = rollout;
  const analysisSteps = plan.steps.filter(step => step.metrics.length > 0);
  const first = analysisSteps[0];
  const bounds = first ? abortBounds(first, plan.expectedRps) : {};
  let seed = 0;
  const release = (errorRate: (atS: number) => number, options: { rps?: number; phaseS?: number } = {}): SyntheticRelease => {
    seed += 1;
    return {
      source: rollout.source,
      namespace: `sim-${plan.environment}-${plan.service}-${seed}`,
      canaryHash: `canary${seed}`,
      canaryService: rollout.canaryService,
      stableService: rollout.stableService,
      servicePort: rollout.servicePort,
      istioReporter: rollout.istioReporter,
      requestsPerSecond: options.rps ?? rollout.requestsPerSecond,
      shares: rollout.nominal.shares,
      errorRate,
      durationS: rollout.nominal.endS + 60,
      scrapeIntervalS: s,
      // Prometheus spreads its scrapes over the interval: a seeded phase, unless the scenario picks the worst.
      scrapePhaseS: options.phaseS ?? Math.floor(seededRandom(seed * 7919)() * s),
      seed: seed * 104729,
    };
  };
  const replays: Replay[] = [];
  for (let i = 0; i < healthyRuns; i++) {
    replays.push({ rollout, scenario: 'healthy', onsetS: 0, prometheus: 'up', boundS: undefined, release: release(() => HEALTHY_ERROR_RATE) });
  }
  replays.push({ rollout, scenario: 'bad-from-start', onsetS: 0, prometheus: 'up', boundS: bounds.startS, release: release(() => BAD_ERROR_RATE) });
  for (const step of analysisSteps) {
    // The worst moment for a spike: just after a scrape that falls a scrape interval before the
    // step's second measurement, so that measurement cannot see it and the next one must.
    const metric = step.metrics.find(m => m.minSuccessRate !== undefined) ?? step.metrics[0];
    const measured = measurementTimeS(step, metric, metric.count > 1 ? 1 : 0);
    const scrape = measured - s + 1;
    const onsetS = scrape + 0.5;
    const phaseS = ((scrape % s) + s) % s;
    replays.push({
      rollout, scenario: `spike-step-${step.index}`, onsetS, prometheus: 'up', boundS: abortBounds(step, plan.expectedRps).spikeS,
      release: release(atS => (atS >= onsetS ? BAD_ERROR_RATE : HEALTHY_ERROR_RATE), { phaseS }),
    });
  }
  const ramp = first ? first.startS + first.durationS : 60;
  replays.push({ rollout, scenario: 'degradation', onsetS: 0, prometheus: 'up', boundS: undefined, release: release(atS => DEGRADED_ERROR_RATE * Math.min(1, atS / ramp)) });
  const noData = first?.metrics.find(m => m.minSuccessRate !== undefined)?.threshold;
  replays.push({
    rollout, scenario: 'no-traffic', onsetS: 0, prometheus: 'up', boundS: undefined, release: release(() => 0, { rps: 0 }),
    note: noData ? `the declared no-data policy: NaN is ${noData.onNaN.phase}, no series is ${noData.onEmpty.phase}` : undefined,
  });
  replays.push({ rollout, scenario: 'prometheus-down', onsetS: 0, prometheus: 'down', boundS: bounds.prometheusDownS, note: 'Prometheus refuses every query' });
  replays.push({ rollout, scenario: 'prometheus-hanging', onsetS: 0, prometheus: 'hanging', boundS: bounds.prometheusDownS, note: 'every query waits out its timeout' });
  return replays;
}

/**
 * How a replay measures: against Prometheus at the scheduled time, or as a hanging Prometheus would
 * answer; `check` gets the values of every measurement sent to Prometheus.
 */
function measureFor(replay: Replay, prometheusUrl: string, originEpochS: number, check?: ComparisonCheck): Measure {
  const args: Record<string, string> = {
    'canary-hash': replay.release?.canaryHash ?? 'none',
    'namespace': replay.release?.namespace ?? 'none',
    'canary-service': replay.rollout.canaryService,
    // The stable version, which the comparison judges the canary against (#24); synthetic-metrics.ts labels it so.
    'stable-hash': 'stable',
    'stable-service': replay.rollout.stableService,
  };
  return async (metric: MetricPlan, atS: number): Promise<MeasurementResult> => {
    if (replay.prometheus === 'hanging') return { phase: 'Error', durationS: metric.timeoutS };
    if (!metric.threshold) return { phase: 'Error', durationS: 0 };
    const judged = { name: metric.name, query: metric.query, threshold: metric.threshold };
    const result = await measureOnce(judged, args, prometheusUrl, { atEpochSeconds: originEpochS + atS });
    check?.(metric, atS, result.values);
    return { phase: result.phase, durationS: 0 };
  };
}

/** The results, one per Rollout and scenario; a Rollout's healthy replays become one line with their false-abort rate. */
function summarize(replays: readonly Replay[], outcomes: readonly ReplayResult[], trafficOf: ReadonlyMap<Replay, IntervalCount[]>): ScenarioResult[] {
  const results: ScenarioResult[] = [];
  for (const rollout of [...new Set(replays.map(r => r.rollout))]) {
    const ofRollout = replays.map((replay, i) => ({ replay, outcome: outcomes[i] })).filter(r => r.replay.rollout === rollout);
    const healthy = ofRollout.filter(r => r.replay.scenario === 'healthy');
    if (healthy.length > 0) {
      const aborted = healthy.filter(r => r.outcome.verdict !== 'Promoted').length;
      results.push({
        ...resultOf(healthy[0].replay, healthy[0].outcome, undefined),
        verdict: aborted * 2 > healthy.length ? 'Aborted' : 'Promoted',
        abort_s: null,
        false_abort_rate: aborted / healthy.length,
        note: `${aborted} of ${healthy.length} seeded replays at ${HEALTHY_ERROR_RATE * 100}% errors aborted`,
      });
    }
    for (const { replay, outcome } of ofRollout.filter(r => r.replay.scenario !== 'healthy')) {
      results.push(resultOf(replay, outcome, trafficOf.get(replay)));
    }
  }
  return results;
}

function resultOf(replay: Replay, outcome: ReplayResult, traffic: readonly IntervalCount[] | undefined): ScenarioResult {
  const { plan } = replay.rollout;
  const aborted = outcome.verdict === 'Aborted';
  const exposure = outcome.verdict === 'Promoted' ? 100 : Math.max(0, ...outcome.shares.filter(s => s.atS <= outcome.endS).map(s => s.share));
  const bad = replay.scenario === 'healthy' || replay.scenario === 'no-traffic' || replay.prometheus !== 'up' ? 0 : errorsServed(traffic ?? [], outcome.endS);
  return {
    rollout: `${plan.environment}/${plan.service}`,
    routing: replay.rollout.routing,
    scenario: replay.scenario,
    verdict: outcome.verdict,
    abort_s: aborted && replay.scenario !== 'healthy' ? round(outcome.endS - replay.onsetS) : null,
    max_exposure_pct: round(exposure),
    bad_requests: bad,
    plan_bound_s: replay.boundS === undefined ? null : round(replay.boundS),
    ...replay.note || outcome.reason ? { note: [replay.note, outcome.reason].filter(Boolean).join('; ') } : {},
  };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/** Runs `work` over `items`, at most `limit` at a time, results in order; `progress` about every tenth of them. */
async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>, progress: (done: number) => void): Promise<R[]> {
  const results: R[] = new Array(items.length);
  const every = Math.max(1, Math.ceil(items.length / 10));
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
      done += 1;
      if (done % every === 0 && done < items.length) progress(done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** A loopback URL nothing listens on, so every query is refused at once. */
async function closedPort(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>(resolve => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
