import { ThresholdMetric } from './prometheus-metric';
import { referencedArgs } from './promql';

/** The outcome of one metric measured once against a live Prometheus. */
export interface LiveMeasurement {
  readonly metric: string;
  /** Successful, Failed or Inconclusive as Argo Rollouts would judge it, or Error when the query failed. */
  readonly phase: 'Successful' | 'Failed' | 'Inconclusive' | 'Error';
  /** The values the query returned. */
  readonly values: number[];
  /** What went wrong, for Error. */
  readonly error?: string;
}

/** The body of Prometheus's `/api/v1/query`. */
interface PrometheusResponse {
  readonly status: string;
  readonly error?: string;
  readonly data?:
    | { readonly resultType: 'vector'; readonly result: readonly { readonly value: readonly [number, string] }[] }
    | { readonly resultType: 'scalar' | 'string' | 'matrix'; readonly result: unknown };
}

/** Replaces every `{{args.NAME}}` in `text` with its value. */
export function substituteArgs(text: string, args: Readonly<Record<string, string>>): string {
  return referencedArgs(text).reduce((result, name) => result.replace(new RegExp(`\\{\\{\\s*args\\.${name.replace(/[.-]/g, '\\$&')}\\s*\\}\\}`, 'g'), args[name]), text);
}

/** A Prometheus sample value: Go's `NaN`, `+Inf` and `-Inf` included, which parseFloat does not read. */
export function sampleValue(value: string): number {
  if (value === '+Inf') return Infinity;
  if (value === '-Inf') return -Infinity;
  return Number(value);
}

/** Options of {@link measureOnce}. */
export interface MeasureOptions {
  /**
   * How long to wait for Prometheus.
   * @default 10 seconds
   */
  readonly timeoutMs?: number;
  /**
   * The evaluation time, in seconds since the epoch, as the API's `time` parameter.
   * @default - now
   */
  readonly atEpochSeconds?: number;
}

/**
 * Runs `metric`'s query once against the Prometheus at `prometheusUrl`, as the Argo Rollouts
 * Prometheus provider does, and judges the result with the metric's own typed threshold: the
 * same rules its rendered conditions encode.
 */
export async function measureOnce(
  metric: Pick<ThresholdMetric, 'name' | 'query' | 'threshold'>,
  args: Readonly<Record<string, string>>,
  prometheusUrl: string,
  options: MeasureOptions = {},
): Promise<LiveMeasurement> {
  const form = new URLSearchParams({ query: substituteArgs(metric.query, args) });
  if (options.atEpochSeconds !== undefined) form.set('time', String(options.atEpochSeconds));
  const url = `${prometheusUrl.replace(/\/+$/, '')}/api/v1/query`;
  try {
    // A form POST, as the provider's client sends it (prometheus/client_golang api/prometheus/v1/api.go, Query →
    // DoGetFallback: POST, and GET only on 405 or 501): the comparison's query is longer than many servers take in a URL.
    // A redirect is not followed: the query (and any credentials a proxy adds) would go to wherever it points.
    const response = await fetch(url, { method: 'POST', body: form, redirect: 'manual', signal: AbortSignal.timeout(options.timeoutMs ?? 10_000) });
    if (response.status >= 300 && response.status < 400) {
      return { metric: metric.name, phase: 'Error', values: [], error: `http ${response.status}: redirected to ${response.headers.get('location') ?? 'nowhere'}; give the Prometheus server's own url` };
    }
    if (!(response.headers.get('content-type') ?? '').includes('json')) return { metric: metric.name, phase: 'Error', values: [], error: `http ${response.status}: not a Prometheus API answer` };
    const body = await response.json() as PrometheusResponse;
    if (body.status !== 'success' || !body.data) return { metric: metric.name, phase: 'Error', values: [], error: body.error ?? `http ${response.status}` };
    if (body.data.resultType !== 'vector') {
      // The provider hands a scalar to the conditions as a bare number, where len() and all() fail
      // (argo-rollouts v1.9.1 metricproviders/prometheus/prometheus.go, processResponse).
      return { metric: metric.name, phase: 'Error', values: [], error: `the query returned a ${body.data.resultType}; it must return an instant vector` };
    }
    const values = body.data.result.map(sample => sampleValue(sample.value[1]));
    return { metric: metric.name, phase: metric.threshold.evaluate(values).phase as LiveMeasurement['phase'], values };
  } catch (e) {
    // fetch reports "fetch failed" and keeps the reason (refused, unknown host, timeout) as its cause.
    const error = e as Error & { cause?: Error };
    return { metric: metric.name, phase: 'Error', values: [], error: error.cause?.message ?? error.message };
  }
}
