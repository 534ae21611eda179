import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { reportAt } from '../errors/problem';

/** An IANA service name, what Kubernetes takes as a named port: at most 15 characters, a letter among them. */
const PORT_NAME = /^(?=.*[a-z])[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

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
  if (targetPortName.length > 15 || !PORT_NAME.test(targetPortName)) {
    reportAt(service, `ports[${index}].targetPort`, targetPortName, 'is not a port name: at most 15 lowercase letters, digits and \'-\', with a letter', 'use the container port\'s name, e.g. \'http\'');
    return;
  }
  // The patch applies before the L1's own filter, which reads int-or-string values as IntOrString (as in CanaryService).
  ApiObject.of(service).addJsonPatch(JsonPatch.replace(`/spec/ports/${index}/targetPort`, kplus.k8s.IntOrString.fromString(targetPortName)));
}
