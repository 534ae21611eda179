import { checkAnalysis, deployedCharts } from '../../delivery/verify';
import { isThresholdMetric, longestRangeSeconds } from '../../lib/analysis';
import { Fleet } from '../../model';
import { PrometheusServer, sleep, waitFor } from '../support/prometheus-server';
import { DemoPod, PodBehavior } from './demo-pod';

/** One canary the demo measures. */
export interface DemoScenario {
  readonly name: string;
  /** The canary's pod template hash, which keeps its series apart from the other scenarios'. */
  readonly hash: string;
  readonly canary: PodBehavior;
  /** Whether requests reach the canary. */
  readonly traffic: boolean;
}

/** The scenarios of `npm run demo:analysis`. */
export const SCENARIOS: readonly DemoScenario[] = [
  { name: 'healthy canary', hash: 'healthy1', canary: { errorRate: 0, latencyMs: 20 }, traffic: true },
  { name: 'canary at 20% errors', hash: 'errors20', canary: { errorRate: 0.2, latencyMs: 20 }, traffic: true },
  { name: 'canary with no traffic', hash: 'idle0', canary: { errorRate: 0, latencyMs: 20 }, traffic: false },
];

/** What the demo found for one scenario. */
export interface DemoResult {
  readonly scenario: string;
  /** The verdict the template's own thresholds and data policy call for. */
  readonly expected: string;
  /** Why that verdict is expected. */
  readonly reason: string;
  /** The verdict `analysis:check` reached against the live Prometheus. */
  readonly verdict: string;
  /** The check's output, one line per metric. */
  readonly lines: string[];
}

/** Options of {@link runAnalysisDemo}. */
export interface AnalysisDemoOptions {
  readonly fleet: Fleet;
  /** The repository root, for the pins. */
  readonly root: string;
  /**
   * The service whose canary analysis is checked.
   * @default 'web'
   */
  readonly service?: string;
  /**
   * The environment, which gives the namespace label.
   * @default 'staging'
   */
  readonly environment?: string;
  /**
   * Requests per second sent to each pod that takes traffic.
   * @default 20
   */
  readonly requestsPerSecond?: number;
  /**
   * Progress messages.
   * @default - none
   */
  readonly log?: (message: string) => void;
  /**
   * The longest the whole demo may take.
   * @default 90 seconds
   */
  readonly timeoutMs?: number;
}

/** The stable pod's template hash: the analysis judges each canary against it. */
const STABLE_HASH = 'stable0';

/**
 * Runs the service's real canary analysis against a real Prometheus: a stable pod and one canary pod
 * per scenario serve requests at a known rate, Prometheus scrapes them every second, and
 * `analysis:check` judges each canary with the template's own thresholds.
 */
export async function runAnalysisDemo(options: AnalysisDemoOptions): Promise<DemoResult[]> {
  const log = options.log ?? (() => undefined);
  const [chart] = deployedCharts(options.fleet, options.root, options.service ?? 'web', options.environment ?? 'staging');
  const { environment } = chart.deployment;
  // The first analysis: every step's (the last step may have a longer one of its own).
  const metrics = chart.service.analyses[0].templates.flatMap(t => t.metrics ?? []).filter(isThresholdMetric);
  const deadline = Date.now() + (options.timeoutMs ?? 90_000);

  const pods = [
    { hash: STABLE_HASH, pod: new DemoPod({ errorRate: 0, latencyMs: 20 }), traffic: true },
    ...SCENARIOS.map(s => ({ hash: s.hash, pod: new DemoPod(s.canary), traffic: s.traffic })),
  ];
  const timers: NodeJS.Timeout[] = [];
  let prometheus: PrometheusServer | undefined;
  try {
    for (const { pod } of pods) await pod.start();
    log(`started ${pods.length} pods; starting prometheus`);
    const targets = pods.map(p => ({ port: p.pod.port, labels: { namespace: environment.namespace, rollouts_pod_template_hash: p.hash } }));
    prometheus = await PrometheusServer.start(targets);
    const rate = options.requestsPerSecond ?? 20;
    for (const { pod } of pods.filter(p => p.traffic)) {
      timers.push(setInterval(() => void fetch(`http://127.0.0.1:${pod.port}/`).catch(() => undefined), 1000 / rate));
    }
    // The analysis judges a full rate window; scraped every second, that is one sample per second of it.
    const windowS = Math.max(...metrics.map(m => longestRangeSeconds(m.query)));
    log(`prometheus at ${prometheus.url}; sending ${rate} requests/s to each pod that takes traffic, waiting for a ${windowS} s window of scrapes`);
    const server = prometheus;
    await waitFor(async () => {
      const counts = await server.query(`count_over_time(http_requests_total{code="200"}[${windowS}s])`);
      return counts.length === pods.length && counts.every(c => c >= windowS - 1);
    }, Math.max(0, deadline - Date.now()), () => `prometheus did not collect a ${windowS} s window of scrapes of every pod in time`);

    const results: DemoResult[] = [];
    for (const scenario of SCENARIOS) {
      const checks = await checkAnalysis(chart, prometheus.url, { canaryHash: scenario.hash, stableHash: STABLE_HASH });
      const verdict = worst(checks.map(c => c.phase));
      results.push({ scenario: scenario.name, ...expectedVerdict(scenario, metrics), verdict, lines: checks.map(c => c.line) });
    }
    return results;
  } finally {
    for (const timer of timers) clearInterval(timer);
    await sleep(50);
    await prometheus?.stop();
    for (const { pod } of pods) await pod.stop();
  }
}

/** The demo's results as a table, one row per scenario. */
export function describeDemo(results: readonly DemoResult[]): string {
  const rows = results.map(r => `| ${r.scenario} | ${r.expected}: ${r.reason} | ${r.verdict} ${r.verdict === r.expected ? '✓' : '✗ MISMATCH'} |`);
  const details = results.flatMap(r => [`${r.scenario}:`, ...r.lines.map(l => `  ${l}`)]);
  return ['| scenario | expected verdict | analysis:check verdict |', '|---|---|---|', ...rows, '', ...details].join('\n');
}

/** The verdict the template calls for: pass when healthy, fail on errors, and its own data policy without traffic. */
function expectedVerdict(
  scenario: DemoScenario,
  metrics: readonly { name: string; threshold: { onNaN: { phase: string } } }[],
): { expected: string; reason: string } {
  if (!scenario.traffic) {
    const policy = metrics.map(m => `${m.name} NaN: ${m.threshold.onNaN.phase}`).join(', ');
    return { expected: worst(metrics.map(m => m.threshold.onNaN.phase)), reason: `the template's no-data policy (${policy})` };
  }
  if (scenario.canary.errorRate > 0) return { expected: 'Failed', reason: `${scenario.canary.errorRate * 100}% errors against a stable version without any` };
  return { expected: 'Successful', reason: 'within every threshold' };
}

/** The overall verdict of an analysis: its worst metric's. */
function worst(phases: readonly string[]): string {
  return ['Error', 'Failed', 'Inconclusive', 'Successful'].find(p => phases.includes(p)) ?? 'Successful';
}
