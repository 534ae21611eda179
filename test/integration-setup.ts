import { findPrometheus } from '../cli/support/prometheus-server';
import tempDirSetup from './temp-dir-setup';

/** Fails the integration run at once, in one line, when a system service it needs is missing. */
export default async function integrationSetup(): Promise<void> {
  tempDirSetup();
  try {
    findPrometheus();
  } catch (e) {
    throw new Error(`error: the integration tests need a real Prometheus: ${(e as Error).message}, then run npm run test:integration again`);
  }
}
