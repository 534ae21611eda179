import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';

/** A chart with a stable and a canary Service on port 80, for router object tests. */
export function routedServices() {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
  const port = [{ port: 80, targetPort: 8080 }];
  const stable = new kplus.Service(chart, 'Stable', { metadata: { name: 'web-stable' }, ports: port });
  const canary = new kplus.Service(chart, 'Canary', { metadata: { name: 'web-canary' }, ports: port });
  return { chart, stable, canary };
}
