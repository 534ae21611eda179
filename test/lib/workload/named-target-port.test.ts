import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { validationProblems } from '../../../lib/errors';
import { targetPortByName } from '../../../lib/workload';

function service() {
  const app = Testing.app();
  const chart = new Chart(app, 'test');
  const svc = new kplus.Service(chart, 'Svc', { metadata: { name: 'web' }, ports: [{ port: 80, targetPort: 8080, name: 'http' }, { port: 9090, targetPort: 9090, name: 'metrics' }] });
  return { app, chart, svc };
}

describe('targetPortByName', () => {
  test('GIVEN a plain Service WHEN its port 80 targets the container port by name THEN only that port changes, as in the upstream example services', () => {
    // argo-rollouts v1.9.1 docs/getting-started/istio/services.yaml: "- port: 80 / targetPort: http"
    const { app, chart, svc } = service();
    targetPortByName(svc, 80, 'http');
    expect(validationProblems(app)).toEqual([]);
    expect(Testing.synth(chart)[0].spec.ports).toEqual([{ port: 80, targetPort: 'http', name: 'http' }, { port: 9090, targetPort: 9090, name: 'metrics' }]);
  });

  test.each<[string, number, string, string]>([
    ['a port the Service does not have', 443, 'https', "test/Svc: 'ports' is [80,9090]: has no port 443 whose target could be named; add the port, or name the target of one of: 80, 9090"],
    ['a name longer than 15 characters', 80, 'http-for-the-shop', "test/Svc: 'ports[0].targetPort' is 'http-for-the-shop': is not a port name: at most 15 lowercase letters, digits and single inner '-', with a letter; use the container port's name, e.g. 'http'"],
    ['a name of digits only', 80, '8080', "test/Svc: 'ports[0].targetPort' is '8080': is not a port name: at most 15 lowercase letters, digits and single inner '-', with a letter; use the container port's name, e.g. 'http'"],
  ])('GIVEN %s WHEN named THEN the problem names the Service, field and fix', (_, port, name, message) => {
    const { app, svc } = service();
    targetPortByName(svc, port, name);
    expect(validationProblems(app)).toEqual([message]);
  });
});
