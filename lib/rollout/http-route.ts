import { ApiObjectMetadata } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import * as gw from '../../imports/httproute-gateway.networking.k8s.io';
import { reportAt } from '../errors/problem';
import { requireFields } from '../private/required';

/** Gateway API hostnames: an RFC 1123 subdomain, optionally with a leading `*.` wildcard. */
const HOSTNAME = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** The Gateway a route attaches to. */
export interface GatewayRef {
  /** The Gateway's name. */
  readonly name: string;
  /**
   * The Gateway's namespace.
   * @default - the route's namespace
   */
  readonly namespace?: string;
  /**
   * The Gateway listener to attach to.
   * @default - every listener that allows the route
   */
  readonly sectionName?: string;
}

/** Properties of an {@link HttpRoute}. */
export interface HttpRouteProps {
  /**
   * Metadata; give it an explicit `name`.
   * @default - a name derived from the construct path
   */
  readonly metadata?: ApiObjectMetadata;
  /** The Gateway that exposes the route. */
  readonly gateway: GatewayRef;
  /**
   * The hostnames the route matches.
   * @default - every hostname of the Gateway's listeners
   */
  readonly hostnames?: string[];
  /** The Service of stable pods; it starts with all the traffic. */
  readonly stableService: kplus.Service;
  /** The Service of canary pods; the Argo Rollouts Gateway API plugin shifts traffic to it. */
  readonly canaryService: kplus.Service;
  /** The Service port both backends are reached on. */
  readonly port: number;
}

/**
 * A Gateway API HTTPRoute splitting traffic between a stable and a canary Service. The Argo Rollouts
 * Gateway API plugin rewrites the two backend weights on every setWeight step.
 */
export class HttpRoute extends Construct {
  /** The route's `metadata.name`. */
  public readonly name: string;
  public readonly stableService: kplus.Service;
  public readonly canaryService: kplus.Service;

  constructor(scope: Construct, id: string, props: HttpRouteProps) {
    super(scope, id);
    requireFields(this.node.path, props, ['gateway', 'stableService', 'canaryService', 'port']);
    this.stableService = props.stableService;
    this.canaryService = props.canaryService;
    if (props.hostnames?.length === 0) {
      reportAt(this, 'hostnames', [], 'an empty list matches every hostname of the Gateway, other teams\' included', 'list the hostnames, or leave hostnames out to say so');
    }
    for (const hostname of props.hostnames ?? []) {
      if (!HOSTNAME.test(hostname) || hostname.length > 253) {
        reportAt(this, 'hostnames', hostname, 'must be a lowercase dns name, optionally starting with *.', "use a hostname such as 'web.example.com'");
      }
    }
    const backend = (service: kplus.Service, weight: number) => ({ kind: 'Service', name: service.name, port: props.port, weight });
    const resource = new gw.HttpRoute(this, 'Resource', {
      metadata: props.metadata,
      spec: {
        parentRefs: [{ name: props.gateway.name, namespace: props.gateway.namespace, sectionName: props.gateway.sectionName }],
        hostnames: props.hostnames,
        rules: [{ backendRefs: [backend(props.stableService, 100), backend(props.canaryService, 0)] }],
      },
    });
    this.name = resource.name;
  }
}
