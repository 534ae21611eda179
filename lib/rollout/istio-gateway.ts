import { ApiObject, ApiObjectMetadata } from 'cdk8s';
import { Construct } from 'constructs';
import { reportAt } from '../errors/problem';
import { requireFields } from '../private/required';

/** One server of an Istio Gateway: a port and the hosts it accepts. */
export interface IstioGatewayServer {
  /** The port the gateway's proxies listen on, e.g. 80. */
  readonly port: number;
  /** The port's name, e.g. `http`. */
  readonly name: string;
  /**
   * The protocol.
   * @default 'HTTP'
   */
  readonly protocol?: string;
  /** The hosts served, e.g. `['*']` or `['shop.example.com']`. */
  readonly hosts: string[];
}

/** Properties of an {@link IstioGateway}. */
export interface IstioGatewayProps {
  /**
   * Metadata; give it an explicit `name`.
   * @default - a name derived from the construct path
   */
  readonly metadata?: ApiObjectMetadata;
  /**
   * The labels of the gateway pods that take this configuration.
   * @default { istio: 'ingressgateway' } - Istio's default ingress gateway
   */
  readonly selector?: Record<string, string>;
  /** The servers: ports and hosts. */
  readonly servers: IstioGatewayServer[];
}

/**
 * An Istio Gateway: the edge a VirtualService binds to with `gateways`, as in the Argo Rollouts Istio
 * getting-started (docs/getting-started/istio/gateway.yaml). The project's generated Istio bindings hold
 * only VirtualService and DestinationRule, so the object is written with the networking.istio.io/v1 schema here.
 */
export class IstioGateway extends Construct {
  /** The Gateway's `metadata.name`, which VirtualServices of its namespace refer to. */
  public readonly name: string;

  constructor(scope: Construct, id: string, props: IstioGatewayProps) {
    super(scope, id);
    requireFields(this.node.path, props, ['servers']);
    if (props.servers.length === 0) reportAt(this, 'servers', [], 'a gateway needs at least one server', 'add a server, e.g. { port: 80, name: \'http\', hosts: [\'*\'] }');
    props.servers.forEach((server, i) => {
      if (server.hosts.length === 0) reportAt(this, `servers[${i}].hosts`, [], 'a server needs at least one host', 'give the hosts it serves, e.g. [\'*\']');
      if (!Number.isInteger(server.port) || server.port < 1 || server.port > 65535) reportAt(this, `servers[${i}].port`, server.port, 'must be a port number from 1 to 65535', 'use e.g. 80');
    });
    const resource = new ApiObject(this, 'Resource', {
      apiVersion: 'networking.istio.io/v1',
      kind: 'Gateway',
      metadata: props.metadata,
      spec: {
        selector: props.selector ?? { istio: 'ingressgateway' },
        servers: props.servers.map(s => ({ port: { number: s.port, name: s.name, protocol: s.protocol ?? 'HTTP' }, hosts: s.hosts })),
      },
    });
    this.name = resource.name;
  }
}
