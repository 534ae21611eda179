import * as os from 'os';
import { PrometheusServer, findPrometheus, waitFor } from '../../../lib/demo/prometheus-server';

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

  test('GIVEN no prometheus binary WHEN looked up THEN the error says how to install it', () => {
    expect(() => findPrometheus([os.tmpdir()])).toThrow("prometheus: the 'prometheus' binary is not installed; install Debian's package with apt-get install -y prometheus");
  });

  test('GIVEN a condition that never holds WHEN waited for THEN it gives up with the message', async () => {
    await expect(waitFor(async () => false, 300, () => 'never')).rejects.toThrow('never');
  });
});
