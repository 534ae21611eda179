import * as os from 'os';
import { findPrometheus, waitFor } from '../../../cli/support/prometheus-server';

describe('PrometheusServer', () => {
  test('GIVEN no prometheus binary WHEN looked up THEN the error says how to install it', () => {
    expect(() => findPrometheus([os.tmpdir()])).toThrow("prometheus: 'PATH' is 'prometheus': is not installed; install Debian's package with apt-get install -y prometheus");
  });

  test('GIVEN a condition that never holds WHEN waited for THEN it gives up with the message', async () => {
    await expect(waitFor(async () => false, 300, () => 'never')).rejects.toThrow('never');
  });
});
