import { PrometheusServer } from '../../../cli/support/prometheus-server';

// A real Prometheus (Debian's package): `npm run test:integration` runs this, `.ci/run` installs it.
jest.setTimeout(60_000);

describe('PrometheusServer', () => {
  test('GIVEN no targets WHEN started THEN it answers queries, and stop() ends the process', async () => {
    const server = await PrometheusServer.start([]);
    try {
      expect(await server.query('vector(1)')).toEqual([1]);
    } finally {
      await server.stop();
    }
    await expect(fetch(`${server.url}/-/ready`)).rejects.toThrow();
  });
});
