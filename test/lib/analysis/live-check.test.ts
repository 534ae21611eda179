import * as http from 'http';
import { AddressInfo } from 'net';
import { measureOnce, PrometheusMetric, sampleValue, substituteArgs, Threshold } from '../../../lib/analysis';
import { fakePrometheus, vector } from '../../fake-prometheus';

const metric = new PrometheusMetric({ name: 'success-rate', address: 'unused', query: 'rate(x{hash="{{args.canary-hash}}", ns="{{ args.namespace }}"}[1m])', threshold: Threshold.atLeast(0.99) });

describe('live check', () => {
  test('GIVEN args WHEN substituted THEN every reference is replaced, with or without spaces', () => {
    expect(substituteArgs(metric.query, { 'canary-hash': 'abc', 'namespace': 'shop' })).toBe('rate(x{hash="abc", ns="shop"}[1m])');
  });

  test('GIVEN the values Prometheus writes WHEN read THEN NaN and both infinities are numbers', () => {
    expect([sampleValue('0.5'), sampleValue('NaN'), sampleValue('+Inf'), sampleValue('-Inf')]).toEqual([0.5, NaN, Infinity, -Infinity]);
  });

  test.each([
    ['a healthy value', vector('0.999'), 'Successful', [0.999]],
    ['an error spike', vector('0.8'), 'Failed', [0.8]],
    ['no traffic (NaN), fail-closed', vector('NaN'), 'Failed', [NaN]],
    ['no series at all, fail-closed', vector(), 'Failed', []],
    ['a query error', { status: 'error', error: 'parse error' }, 'Error', []],
    ['a matrix', { status: 'success', data: { resultType: 'matrix', result: [] } }, 'Error', []],
    // The provider passes a scalar as a bare number, and len(result) errors in the controller.
    ['a scalar', { status: 'success', data: { resultType: 'scalar', result: [1, '0.999'] } }, 'Error', []],
  ])('GIVEN %s WHEN measured THEN the verdict is the threshold\'s', async (_, answer, phase, values) => {
    const prometheus = await fakePrometheus(() => answer);
    try {
      const result = await measureOnce(metric, { 'canary-hash': 'abc', 'namespace': 'shop' }, `${prometheus.url}/`);
      expect(result.phase).toBe(phase);
      expect(result.values).toEqual(values);
      expect(prometheus.queries).toEqual(['rate(x{hash="abc", ns="shop"}[1m])']);
    } finally {
      await prometheus.close();
    }
  });

  test('GIVEN an evaluation time WHEN measured THEN the query asks Prometheus for that instant', async () => {
    const prometheus = await fakePrometheus(() => vector('0.999'));
    try {
      await measureOnce(metric, { 'canary-hash': 'abc', 'namespace': 'shop' }, prometheus.url, { atEpochSeconds: 1700000000 });
      expect(prometheus.urls[0]).toMatch(/^POST \/api\/v1\/query\?query=.*&time=1700000000$/);
    } finally {
      await prometheus.close();
    }
  });

  test('GIVEN a query of 20 KB WHEN measured THEN it is posted as a form, as the provider does, and not cut short by a URL limit', async () => {
    const prometheus = await fakePrometheus(() => vector('0.999'));
    try {
      const long = { ...metric, query: `${'(vector(1) or '.repeat(1500)}vector(1)${')'.repeat(1500)}` };
      expect((await measureOnce(long, {}, prometheus.url)).phase).toBe('Successful');
      expect(prometheus.queries[0]).toBe(long.query);
    } finally {
      await prometheus.close();
    }
  });

  test('GIVEN no Prometheus WHEN measured THEN the measurement is an Error naming the cause', async () => {
    const closed = await fakePrometheus(() => vector());
    await closed.close();
    const result = await measureOnce(metric, { 'canary-hash': 'abc', 'namespace': 'shop' }, closed.url, { timeoutMs: 2000 });
    expect(result.phase).toBe('Error');
    expect(result.error).toBe(`connect ECONNREFUSED ${closed.url.replace('http://', '')}`);
  });

  test.each<[string, http.RequestListener, string]>([
    ['a redirect to another server', (_, response) => { response.writeHead(302, { location: 'http://elsewhere.example/api/v1/query' }).end(); },
      "http 302: redirected to http://elsewhere.example/api/v1/query; give the Prometheus server's own url"],
    ['a proxy error page', (_, response) => { response.writeHead(502, { 'content-type': 'text/html' }).end('<html>bad gateway</html>'); },
      'http 502: not a Prometheus API answer'],
  ])('GIVEN %s WHEN measured THEN it is an Error naming the status, and nothing is followed', async (_, answer, error) => {
    const server = http.createServer(answer);
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      expect(await measureOnce(metric, { 'canary-hash': 'abc', 'namespace': 'shop' }, url)).toEqual({ metric: 'success-rate', phase: 'Error', values: [], error });
    } finally {
      await new Promise(resolve => server.close(resolve));
    }
  });
});
