import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { seededRandom, poisson } from '../../../cli/simulation/synthetic-metrics';
import { PrometheusServer, promNumber } from '../../../cli/support/prometheus-server';
import { comparisonQuery, comparisonStatistic, resolveComparison, WindowCounts, windowCount } from '../../../lib/analysis/canary-comparison';

// A real Prometheus (Debian's package) on a TSDB backfilled with promtool: the in-process evaluator
// must compute exactly the number the template's PromQL returns.
jest.setTimeout(120_000);

const ORIGIN = 1_700_000_000;
const SCRAPE_S = 10;
const END_S = 600;
const OPTIONS = resolveComparison({ measurements: 10 });
const SELECTORS = { requests: 'http_requests_total', serverErrors: 'code=~"5.."', canary: 'pod="canary"', stable: 'pod="stable"' };

/** One counter series: its value at each scrape, or undefined before it exists. */
type Series = { labels: string; values: (number | undefined)[] };

/**
 * The series of one scenario: canary and stable 2xx and 5xx counters, the 5xx series created at its
 * first error as client libraries do, the canary's series only from `canaryFromS`.
 */
function scenario(seed: number, canaryRps: number, canaryErr: number, stableRps: number, stableErr: number, canaryFromS = 0): Series[] {
  const random = seededRandom(seed);
  const series: Series[] = [];
  for (const [pod, rps, err, from] of [['canary', canaryRps, canaryErr, canaryFromS], ['stable', stableRps, stableErr, 0]] as const) {
    let ok = 0;
    let bad = 0;
    const okValues: (number | undefined)[] = [];
    const badValues: (number | undefined)[] = [];
    for (let t = 0; t <= END_S; t += SCRAPE_S) {
      if (t < from) { okValues.push(undefined); badValues.push(undefined); continue; }
      const requests = t === from ? 0 : poisson(rps * SCRAPE_S, random);
      const errors = Math.min(requests, poisson(requests * err, random));
      ok += requests - errors;
      bad += errors;
      okValues.push(ok);
      badValues.push(bad > 0 ? bad : undefined);
    }
    series.push({ labels: `pod="${pod}",code="200"`, values: okValues }, { labels: `pod="${pod}",code="500"`, values: badValues });
  }
  return series;
}

/** The last value at or before `atS`, as an instant selector reads it (5 m lookback). */
function valueAt(s: Series, atS: number): number | undefined {
  const index = Math.floor(atS / SCRAPE_S);
  for (let i = Math.min(index, s.values.length - 1); i >= 0 && (index - i) * SCRAPE_S <= 300; i--) {
    if (s.values[i] !== undefined) return s.values[i];
  }
  return undefined;
}

/** {@link windowCount} in TypeScript: per series, now minus `windowS` ago (absent then: from zero), reset as zero. */
function countOf(series: Series[], pod: string, errorsOnly: boolean, atS: number, windowS: number): number {
  let total = 0;
  for (const s of series.filter(x => x.labels.includes(`pod="${pod}"`) && (!errorsOnly || x.labels.includes('code="500"')))) {
    const now = valueAt(s, atS);
    if (now === undefined) continue;
    const then = valueAt(s, atS - windowS);
    total += then === undefined ? now : Math.max(0, now - then);
  }
  return total;
}

function counts(series: Series[], atS: number, windowS: number): WindowCounts {
  return {
    canaryErrors: countOf(series, 'canary', true, atS, windowS),
    canaryRequests: countOf(series, 'canary', false, atS, windowS),
    stableErrors: countOf(series, 'stable', true, atS, windowS),
    stableRequests: countOf(series, 'stable', false, atS, windowS),
  };
}

const SCENARIOS: [name: string, series: Series[]][] = [
  ['healthy at 20 rps', scenario(1, 2, 0.001, 18, 0.001, 30)],
  ['healthy at 2 rps (thin data)', scenario(2, 0.2, 0.001, 1.8, 0.001, 30)],
  ['bad from start (20%)', scenario(3, 5, 0.2, 45, 0.001, 30)],
  ['shared outage (5% on both)', scenario(4, 5, 0.05, 45, 0.05, 30)],
  ['canary all failing', scenario(5, 1, 1, 9, 0.001, 30)],
  ['no stable errors, a few canary errors', scenario(6, 3, 0.01, 27, 0, 30)],
];

describe('canary comparison against a real Prometheus', () => {
  let prometheus: PrometheusServer;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'comparison-'));

  beforeAll(async () => {
    const lines: string[] = ['# TYPE http_requests_total unknown'];
    SCENARIOS.forEach(([, series], i) => {
      for (const s of series) {
        s.values.forEach((v, k) => {
          if (v !== undefined) lines.push(`http_requests_total{scenario="${i}",${s.labels}} ${v} ${ORIGIN + k * SCRAPE_S}`);
        });
      }
    });
    lines.push('# EOF');
    fs.writeFileSync(path.join(dir, 'series.om'), `${lines.join('\n')}\n`);
    prometheus = await PrometheusServer.fromOpenMetrics(path.join(dir, 'series.om'));
  });

  afterAll(async () => {
    await prometheus?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const at = async (promql: string, atS: number): Promise<number[]> => {
    const response = await fetch(`${prometheus.url}/api/v1/query?time=${ORIGIN + atS}&query=${encodeURIComponent(promql)}`);
    const body = await response.json() as { status: string; data?: { result: { value: [number, string] }[] } };
    expect(body.status).toBe('success');
    return (body.data?.result ?? []).map(r => promNumber(r.value[1]));
  };

  test('GIVEN six scenarios WHEN the comparison query is evaluated at many times and windows THEN Prometheus returns one sample, equal to the in-process statistic', async () => {
    const outcomes = new Set<string>();
    for (const [index, [name, series]] of SCENARIOS.entries()) {
      const scoped = (s: string) => `scenario="${index}",${s}`;
      for (const windowS of [40, 150]) {
        const query = comparisonQuery({ ...SELECTORS, canary: scoped(SELECTORS.canary), stable: scoped(SELECTORS.stable) }, `${windowS}s`, OPTIONS);
        for (const atS of [35, 55, 95, 185, 305, 455, 600]) {
          const result = await at(query, atS);
          const expected = comparisonStatistic(counts(series, atS, windowS), OPTIONS);
          expect([name, windowS, atS, result.length]).toEqual([name, windowS, atS, 1]);
          if (Number.isNaN(expected)) expect([name, atS, result[0]]).toEqual([name, atS, NaN]);
          else if (!Number.isFinite(expected)) expect([name, atS, result[0]]).toEqual([name, atS, expected]);
          else expect([name, atS, Math.abs(result[0] - expected) < 1e-9]).toEqual([name, atS, true]);
          outcomes.add(Number.isNaN(expected) ? 'NaN' : !Number.isFinite(expected) ? 'Inf' : expected > 3.0903 ? 'fail' : 'pass');
        }
      }
    }
    // The cases cover every outcome: below the floor, the ceiling, a significant regression and a pass.
    expect([...outcomes].sort()).toEqual(['Inf', 'NaN', 'fail', 'pass']);
  });

  test('GIVEN a 5xx series that appears at the first error WHEN counted THEN the window count is the raw count, where increase() misreads it', async () => {
    const [, series] = SCENARIOS[5];
    const errors = series.find(s => s.labels === 'pod="canary",code="500"')!;
    const firstS = errors.values.findIndex(v => v !== undefined) * SCRAPE_S;
    const atS = firstS + 40;
    const selector = 'http_requests_total{scenario="5",pod="canary",code="500"}';
    const raw = valueAt(errors, atS)!;
    expect(await at(windowCount(selector, '150s'), atS)).toEqual([raw]);
    // increase() sees only the increments after the series' first sample, then extrapolates them: here 2.25 for 3.
    const extrapolated = (await at(`sum(increase(${selector}[150s]))`, atS))[0];
    expect([raw, extrapolated]).toEqual([3, 2.25]);
  });

  test('GIVEN no series at all WHEN the comparison is queried THEN it returns one NaN, never an empty result', async () => {
    const query = comparisonQuery({ ...SELECTORS, canary: 'pod="none"', stable: 'pod="none-either"' }, '40s', OPTIONS);
    expect(await at(query, 300)).toEqual([NaN]);
  });
});
