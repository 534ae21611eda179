import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { IntervalCount, SyntheticRelease, canaryTraffic, errorsServed, shareAt, writeOpenMetrics } from '../../../cli/simulation/synthetic-metrics';

/** A release bad from the start at 150 requests/s, 10% of them on the canary, 20% of the canary's failing. */
const badFromStart: SyntheticRelease = {
  source: 'app', namespace: 'sim-1', canaryHash: 'c1', canaryService: 'api-canary', stableService: 'api-stable', servicePort: 80,
  requestsPerSecond: 150, shares: [{ atS: 0, share: 10 }], errorRate: () => 0.2, durationS: 120, scrapeIntervalS: 10, scrapePhaseS: 3, seed: 42,
};

const interval = (atS: number, requests: number, errors: number): IntervalCount => ({
  atS, requests, errors, stableRequests: 10 * requests, stableErrors: 0,
});

const release = (overrides: Partial<SyntheticRelease> = {}): SyntheticRelease => ({
  source: 'app', namespace: 'sim-1', canaryHash: 'c1', canaryService: 'web-canary', stableService: 'web-stable', servicePort: 80,
  requestsPerSecond: 100, shares: [{ atS: 0, share: 10 }, { atS: 60, share: 50 }], errorRate: () => 0.2,
  durationS: 120, scrapeIntervalS: 10, scrapePhaseS: 3, seed: 42,
  ...overrides,
});

describe('synthetic metrics', () => {
  test('GIVEN shares over time WHEN read THEN the latest share at or before the time counts', () => {
    const { shares } = release();
    expect([shareAt(shares, -1), shareAt(shares, 0), shareAt(shares, 59), shareAt(shares, 60)]).toEqual([0, 10, 10, 50]);
  });

  test('GIVEN a release WHEN its traffic is drawn THEN the series start at the first scrape, at zero, and follow the share and error rate', () => {
    const counts = canaryTraffic(release());
    expect(counts[0]).toEqual({ atS: 3, requests: 0, errors: 0, stableRequests: 0, stableErrors: 0 });
    expect(counts.map(c => c.atS)).toEqual([3, 13, 23, 33, 43, 53, 63, 73, 83, 93, 103, 113]);
    const early = counts.slice(1, 6).reduce((s, c) => s + c.requests, 0);
    const late = counts.slice(7).reduce((s, c) => s + c.requests, 0);
    // 10 rps at 10% for 50 s, then 50 rps for 50 s.
    expect(early).toBeGreaterThan(400);
    expect(early).toBeLessThan(600);
    expect(late).toBeGreaterThan(2200);
    const errors = counts.reduce((s, c) => s + c.errors, 0) / counts.reduce((s, c) => s + c.requests, 0);
    expect(errors).toBeGreaterThan(0.17);
    expect(errors).toBeLessThan(0.23);
    expect(canaryTraffic(release())).toEqual(counts);
  });

  test('GIVEN each source WHEN written THEN the series carry that system\'s names and labels, every family together, and the file ends with EOF', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'om-')), 'm.om');
    writeOpenMetrics(file, [release(), release({ source: 'istio', namespace: 'sim-2' }), release({ source: 'nginx', namespace: 'sim-3' })], 1_700_000_000);
    const text = fs.readFileSync(file, 'utf-8');
    expect(text).toContain('http_requests_total{namespace="sim-1",rollouts_pod_template_hash="c1",code="500"} 0 1700000003\n');
    expect(text).toContain('http_requests_total{namespace="sim-1",rollouts_pod_template_hash="stable",code="200"}');
    expect(text).toContain('istio_requests_total{reporter="source",destination_service_namespace="sim-2",destination_service_name="web-canary",response_code="500"}');
    expect(text).toContain('nginx_ingress_controller_requests{exported_namespace="sim-3",ingress="web-stable",service="web-stable",canary="sim-3-web-canary-80",status="500"}');
    expect(text).toContain('istio_request_duration_milliseconds_bucket{reporter="source",destination_service_namespace="sim-2",destination_service_name="web-canary",le="50"}');
    const families = [...text.matchAll(/^# TYPE (\S+) unknown$/gm)].map(m => m[1]);
    expect(families).toEqual([
      'http_requests_total', 'http_request_duration_seconds_bucket', 'istio_requests_total', 'istio_request_duration_milliseconds_bucket',
      'nginx_ingress_controller_requests', 'nginx_ingress_controller_request_duration_seconds_bucket',
    ]);
    // Counters only grow.
    const values = [...text.matchAll(/^http_requests_total\{namespace="sim-1",rollouts_pod_template_hash="c1",code="200"\} (\d+)/gm)].map(m => Number(m[1]));
    expect(values).toEqual([...values].sort((x, y) => x - y));
    expect(text.endsWith('# EOF\n')).toBe(true);
  });

  test('GIVEN an Istio release in ambient mode WHEN written THEN its requests carry the waypoint as reporter, as MetricSource.ISTIO_WAYPOINT selects them', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'om-')), 'm.om');
    writeOpenMetrics(file, [release({ source: 'istio', namespace: 'sim-4', istioReporter: 'waypoint' })], 1_700_000_000);
    const text = fs.readFileSync(file, 'utf-8');
    expect(text).toContain('istio_requests_total{reporter="waypoint",destination_service_namespace="sim-4",destination_service_name="web-canary",response_code="500"}');
    expect(text).toContain('istio_requests_total{reporter="waypoint",destination_service_namespace="sim-4",destination_service_name="web-stable",response_code="200"}');
    expect(text).not.toContain('reporter="source"');
  });
  test('GIVEN a release bad from the start aborted at 26 s WHEN its bad requests are counted THEN they are the canary\'s error responses until then, about 150 × 0.1 × 26 × 0.2', () => {
    const traffic = canaryTraffic(badFromStart);
    expect(traffic.slice(0, 4).map(c => c.atS)).toEqual([3, 13, 23, 33]);
    // The intervals ending at 13 s and 23 s count in full, the one from 23 s to 33 s for 3 of its 10 s.
    const byHand = traffic[1].errors + traffic[2].errors + traffic[3].errors * 0.3;
    expect(errorsServed(traffic, 26)).toBe(Math.round(byHand));
    expect(Math.abs(errorsServed(traffic, 26) - 150 * 0.1 * 26 * 0.2)).toBeLessThan(25);
    // What the report printed before: the canary's requests, about five times as many.
    const requests = traffic.filter(c => c.atS > 0 && c.atS <= 26).reduce((n, c) => n + c.requests, 0);
    expect(requests).toBeGreaterThan(3 * errorsServed(traffic, 26));
  });

  test('GIVEN an abort on a scrape or before the first WHEN bad requests are counted THEN nothing after the abort counts', () => {
    const traffic = [interval(5, 0, 0), interval(15, 40, 8), interval(25, 40, 6)];
    expect(errorsServed(traffic, 15)).toBe(8);
    expect(errorsServed(traffic, 5)).toBe(0);
    expect(errorsServed(traffic, 100)).toBe(14);
  });
});
