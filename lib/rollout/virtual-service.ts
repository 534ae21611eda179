import { ApiObjectMetadata } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import * as istio from '../../imports/istio-networking.istio.io';
import { reportAt } from '../errors/problem';
import { requireFields } from '../private/required';
import { DestinationRule } from './destination-rule';
import { IstioGateway } from './istio-gateway';

/** Properties of a {@link VirtualService}. */
export interface VirtualServiceProps {
  /**
   * Metadata; give it an explicit `name`.
   * @default - a name derived from the construct path
   */
  readonly metadata?: ApiObjectMetadata;
  /** The hosts clients call, e.g. the Service's name inside the mesh or a public hostname. */
  readonly hosts: string[];
  /**
   * Istio Gateways to bind to: an {@link IstioGateway} of the same namespace, or `namespace/name`;
   * `mesh` is traffic between sidecars.
   * @default ['mesh']
   */
  readonly gateways?: (IstioGateway | string)[];
  /**
   * The Service of stable pods, when splitting by host.
   * @default - none: a destinationRule splits by subset
   */
  readonly stableService?: kplus.Service;
  /**
   * The Service of canary pods, when splitting by host.
   * @default - none: a destinationRule splits by subset
   */
  readonly canaryService?: kplus.Service;
  /**
   * Split one host by subset instead of routing to two hosts. Istio then reports both versions under
   * the same destination Service, so measure the canary with app metrics, not Istio's.
   * @default - split by host: the stable and canary Services
   */
  readonly destinationRule?: DestinationRule;
  /**
   * The Service port both destinations are reached on.
   * @default - omitted, as in docs/getting-started/istio/virtualsvc.yaml: Istio routes to the
   * Service's only port, and a Service of several ports needs it
   */
  readonly port?: number;
}

/**
 * An Istio VirtualService with one named HTTP route that Argo Rollouts reweights on every setWeight
 * step, between the stable and canary Services (or the stable and canary subsets of one Service).
 */
export class VirtualService extends Construct {
  /** The name of the HTTP route Argo Rollouts manages. */
  public static readonly ROUTE = 'primary';

  /** The VirtualService's `metadata.name`. */
  public readonly name: string;
  public readonly stableService?: kplus.Service;
  public readonly canaryService?: kplus.Service;
  public readonly destinationRule?: DestinationRule;

  constructor(scope: Construct, id: string, props: VirtualServiceProps) {
    super(scope, id);
    requireFields(this.node.path, props, ['hosts']);
    this.stableService = props.stableService;
    this.canaryService = props.canaryService;
    this.destinationRule = props.destinationRule;
    if (props.hosts.length === 0) {
      reportAt(this, 'hosts', [], 'a virtual service needs at least one host', 'pass the host clients call, e.g. the service name');
    }
    const rule = props.destinationRule;
    if (!rule && !(props.stableService && props.canaryService)) {
      reportAt(this, 'stableService', props.stableService?.name, 'a split by host needs both the stable and the canary service', 'pass stableService and canaryService, or a destinationRule to split one service by subset');
    }
    const port = (service: kplus.Service) => {
      if (props.port !== undefined) return { number: props.port };
      // Istio needs the port of a destination whose Service has several (networking/v1 Destination.port).
      if (service.ports.length > 1) reportAt(this, 'port', undefined, `is required: service '${service.name}' has ${service.ports.length} ports`, 'give the service port both destinations are reached on');
      return undefined;
    };
    const destination = (service: kplus.Service | undefined, subset: string, weight: number) => rule
      ? { destination: { host: rule.service.name, subset, port: port(rule.service) }, weight }
      : { destination: { host: service?.name ?? '', port: service && port(service) }, weight };
    const resource = new istio.VirtualService(this, 'Resource', {
      metadata: props.metadata,
      spec: {
        hosts: props.hosts,
        gateways: (props.gateways ?? ['mesh']).map(g => (g instanceof IstioGateway ? g.name : g)),
        http: [{
          name: VirtualService.ROUTE,
          route: [
            destination(props.stableService, DestinationRule.STABLE_SUBSET, 100),
            destination(props.canaryService, DestinationRule.CANARY_SUBSET, 0),
          ],
        }],
      },
    });
    this.name = resource.name;
  }
}
