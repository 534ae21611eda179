import * as fs from 'fs';
import { poisson, seededRandom } from '../../delivery/plan';

/** Which system's request metrics a Rollout's analysis reads; each names and labels them its own way. */
export type MetricsSource = 'app' | 'istio' | 'nginx';

/** The traffic of one replayed release: who serves it, how much, and how much of it fails. */
export interface SyntheticRelease {
  readonly source: MetricsSource;
  /** A namespace of its own, so that every replay's series are apart in one TSDB. */
  readonly namespace: string;
  readonly canaryHash: string;
  readonly canaryService: string;
  readonly stableService: string;
  /** The Service port, which names the canary upstream in ingress-nginx's labels. */
  readonly servicePort: number;
  /**
   * The Istio proxy that reports the requests: the calling sidecar, or the waypoint in ambient mode.
   * @default 'source'
   */
  readonly istioReporter?: 'source' | 'waypoint';
  /** Requests per second at full traffic. */
  readonly requestsPerSecond: number;
  /** The canary's share of traffic, in percent, from each time on. */
  readonly shares: readonly { readonly atS: number; readonly share: number }[];
  /** The canary's error rate at a time. */
  readonly errorRate: (atS: number) => number;
  /**
   * The stable version's error rate at a time, which the comparison judges the canary against (#24).
   * @default - 0.1% throughout
   */
  readonly stableErrorRate?: (atS: number) => number;
  /** Seconds of traffic to generate, from the start of the release. */
  readonly durationS: number;
  /** How often the release's pods are scraped, as its PodMonitor says. */
  readonly scrapeIntervalS: number;
  /** Where the scrapes fall: a scrape at every `scrapePhaseS + k × scrapeIntervalS`. */
  readonly scrapePhaseS: number;
  readonly seed: number;
}

/** The requests of one scrape interval, as generated. */
export interface IntervalCount {
  /** The scrape that stored them. */
  readonly atS: number;
  /** The canary's requests, and how many of them failed. */
  readonly requests: number;
  readonly errors: number;
  /** The stable pods' requests, and how many of them failed. */
  readonly stableRequests: number;
  readonly stableErrors: number;
}

/** The latency buckets written: every synthetic request is fast, so latency never fails a healthy canary. */
const BUCKETS_SECONDS = [0.05, 0.1, 0.25, 0.5, 1];

/** The stable version's error rate unless a release says otherwise: the healthy baseline of #24. */
const DEFAULT_STABLE_ERROR_RATE = 0.001;

/** The canary share, in percent, at a time. */
export function shareAt(shares: SyntheticRelease['shares'], atS: number): number {
  let share = 0;
  for (const s of shares) if (s.atS <= atS) share = s.share;
  return share;
}

/**
 * The canary's requests per scrape interval. The canary pods are new when the release starts, so
 * their series begin at the first scrape after it, at zero, 5xx included (a real app should create
 * its counters at zero, or the first errors would be invisible for two scrapes).
 */
export function canaryTraffic(release: SyntheticRelease): IntervalCount[] {
  const { scrapeIntervalS } = release;
  const random = seededRandom(release.seed);
  const counts: IntervalCount[] = [];
  const first = release.scrapePhaseS - Math.floor(release.scrapePhaseS / scrapeIntervalS) * scrapeIntervalS;
  let previous = first;
  counts.push({ atS: first, requests: 0, errors: 0, stableRequests: 0, stableErrors: 0 });
  for (let atS = first + scrapeIntervalS; atS <= release.durationS; atS += scrapeIntervalS) {
    const middle = (previous + atS) / 2;
    const share = shareAt(release.shares, middle) / 100;
    const requests = poisson(release.requestsPerSecond * share * (atS - previous), random);
    const stableRequests = Math.round(release.requestsPerSecond * (1 - share) * (atS - previous));
    let errors = 0;
    const rate = release.errorRate(middle);
    for (let i = 0; i < requests && rate > 0; i++) if (random() < rate) errors += 1;
    const stableRate = release.stableErrorRate?.(middle) ?? DEFAULT_STABLE_ERROR_RATE;
    const stableErrors = Math.min(stableRequests, poisson(stableRequests * stableRate, random));
    counts.push({ atS, requests, errors, stableRequests, stableErrors });
    previous = atS;
  }
  return counts;
}

/** The labels of a request series of `release` for the canary or the stable pods, and a status code. */
function requestLabels(release: SyntheticRelease, canary: boolean, code: string): string {
  const ns = release.namespace;
  switch (release.source) {
    case 'app':
      return `namespace="${ns}",rollouts_pod_template_hash="${canary ? release.canaryHash : 'stable'}",code="${code}"`;
    case 'istio':
      // As the calling proxy (or, in ambient mode, the waypoint) reports a request it sent to the canary or the stable Service.
      return `reporter="${release.istioReporter ?? 'source'}",destination_service_namespace="${ns}",destination_service_name="${canary ? release.canaryService : release.stableService}",response_code="${code}"`;
    case 'nginx':
      // ingress-nginx labels a canary request with the stable Ingress and Service, and the canary upstream.
      return `exported_namespace="${ns}",ingress="${release.stableService}",service="${release.stableService}",`
        + `canary="${canary ? `${ns}-${release.canaryService}-${release.servicePort}` : ''}",status="${code}"`;
  }
}

/** The names of a source's request counter and latency histogram, and its latency unit. */
function familyNames(source: MetricsSource): { requests: string; buckets: string; unit: number } {
  switch (source) {
    case 'app':
      return { requests: 'http_requests_total', buckets: 'http_request_duration_seconds_bucket', unit: 1 };
    case 'istio':
      return { requests: 'istio_requests_total', buckets: 'istio_request_duration_milliseconds_bucket', unit: 1000 };
    case 'nginx':
      return { requests: 'nginx_ingress_controller_requests', buckets: 'nginx_ingress_controller_request_duration_seconds_bucket', unit: 1 };
  }
}

/**
 * Writes the series of every release to an OpenMetrics file for `promtool tsdb create-blocks-from
 * openmetrics`, each at its own scrape interval, the release start at `originEpochS`: per release the canary's 2xx and 5xx counters and
 * latency buckets, and the stable pods' counters. Series carry the labels Prometheus stores after the
 * PodMonitor's relabeling, which is what the presets query.
 *
 * @returns the canary's requests per scrape interval, per release
 */
export function writeOpenMetrics(
  file: string,
  releases: readonly SyntheticRelease[],
  originEpochS: number,
): IntervalCount[][] {
  const fd = fs.openSync(file, 'w');
  const traffic = releases.map(release => canaryTraffic(release));
  try {
    const write = (text: string) => fs.writeSync(fd, text);
    const sample = (name: string, labels: string, value: number, atS: number) => `${name}{${labels}} ${value} ${originEpochS + atS}\n`;
    for (const source of [...new Set(releases.map(r => r.source))]) {
      const names = familyNames(source);
      const ofSource = releases.map((release, i) => ({ release, counts: traffic[i] })).filter(r => r.release.source === source);
      // Every family's samples stand together, as OpenMetrics requires.
      // Untyped families, named as the samples are, which OpenMetrics allows for any name.
      write(`# TYPE ${names.requests} unknown\n`);
      for (const { release, counts } of ofSource) {
        for (const [canary, code] of [[true, '200'], [true, '500'], [false, '200'], [false, '500']] as const) {
          let total = 0;
          const lines: string[] = [];
          for (const count of counts) {
            const served = canary
              ? (code === '500' ? count.errors : count.requests - count.errors)
              : (code === '500' ? count.stableErrors : count.stableRequests - count.stableErrors);
            total += served;
            lines.push(sample(names.requests, requestLabels(release, canary, code), total, count.atS));
          }
          write(lines.join(''));
        }
      }
      write(`# TYPE ${names.buckets} unknown\n`);
      for (const { release, counts } of ofSource) {
        const labels = requestLabels(release, true, '200').replace(/,(code|response_code|status)="200"$/, '');
        for (const le of [...BUCKETS_SECONDS.map(b => String(b * names.unit)), '+Inf']) {
          let total = 0;
          write(counts.map(count => sample(names.buckets, `${labels},le="${le}"`, (total += count.requests), count.atS)).join(''));
        }
      }
    }
    write('# EOF\n');
  } finally {
    fs.closeSync(fd);
  }
  return traffic;
}

/**
 * The error responses the canary served from the release's start until `untilS`, when traffic returned
 * to stable (the abort) or the canary became stable (the promotion): #24's `bad_requests`. Each scrape
 * interval's errors count in full before `untilS`, and the interval that straddles it by the share of
 * it that came before (its requests are drawn evenly over it), the total rounded.
 */
export function errorsServed(traffic: readonly Pick<IntervalCount, 'atS' | 'errors'>[], untilS: number): number {
  let total = 0;
  for (let k = 1; k < traffic.length; k++) {
    const fromS = traffic[k - 1].atS;
    const toS = traffic[k].atS;
    if (fromS < untilS) total += traffic[k].errors * Math.min(1, (untilS - fromS) / (toS - fromS));
  }
  return Math.round(total);
}
