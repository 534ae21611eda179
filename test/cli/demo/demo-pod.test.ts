import { DemoPod } from '../../../cli/demo/demo-pod';

describe('DemoPod', () => {
  test('GIVEN a 20% error rate WHEN 10 requests are served THEN exactly 2 fail, and /metrics counts them by code', async () => {
    const pod = new DemoPod({ errorRate: 0.2, latencyMs: 1 });
    const port = await pod.start();
    try {
      const codes: number[] = [];
      for (let i = 0; i < 10; i++) codes.push((await fetch(`http://127.0.0.1:${port}/`)).status);
      expect(codes.filter(c => c === 500)).toHaveLength(2);
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(metrics).toContain('http_requests_total{code="200"} 8');
      expect(metrics).toContain('http_requests_total{code="500"} 2');
      expect(metrics).toContain('http_request_duration_seconds_count 10');
    } finally {
      await pod.stop();
    }
  });

  test('GIVEN no requests WHEN scraped THEN the request counter already exists at zero, as in a real app', async () => {
    const pod = new DemoPod({ errorRate: 0, latencyMs: 1 });
    const port = await pod.start();
    try {
      expect(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()).toContain('http_requests_total{code="200"} 0');
    } finally {
      await pod.stop();
    }
  });
});
