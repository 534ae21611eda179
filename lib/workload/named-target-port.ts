import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { reportAt } from '../errors/problem';
import { PORT_NAME_RULE, isPortName } from '../private/names';

/**
 * Makes a Service target its pods' container port by name instead of by number, as the Argo Rollouts
 * examples write their Services (`targetPort: http`, docs/getting-started/istio/services.yaml): the
 * container can then change its port number without the Service. cdk8s-plus types `targetPort` as a
 * number, so the name is written over it.
 *
 * @param service the Service, which must have a port numbered `port`
 * @param port the Service port whose target is named
 * @param targetPortName the name of the container port, e.g. `http`
 */
export function targetPortByName(service: kplus.Service, port: number, targetPortName: string): void {
  const index = service.ports.findIndex(p => p.port === port);
  if (index === -1) {
    reportAt(service, 'ports', service.ports.map(p => p.port), `has no port ${port} whose target could be named`, `add the port, or name the target of one of: ${service.ports.map(p => p.port).join(', ') || '(none)'}`);
    return;
  }
  if (!isPortName(targetPortName)) {
    reportAt(service, `ports[${index}].targetPort`, targetPortName, `is not a port name: ${PORT_NAME_RULE}`, 'use the container port\'s name, e.g. \'http\'');
    return;
  }
  // The patch applies before the L1's own filter, which reads int-or-string values as IntOrString (as in CanaryService).
  ApiObject.of(service).addJsonPatch(JsonPatch.replace(`/spec/ports/${index}/targetPort`, kplus.k8s.IntOrString.fromString(targetPortName)));
}
