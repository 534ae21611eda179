import { GatewayRef } from '../rollout/http-route';

/** How one service's traffic reaches its canary, as the fleet definition declares it. */
export type RoutingSpec =
  | { readonly kind: 'replicas' }
  | { readonly kind: 'gateway-api'; readonly gateway: GatewayRef; readonly hostnames?: string[] }
  | { readonly kind: 'istio'; readonly hosts?: string[]; readonly gateways?: string[] }
  | { readonly kind: 'nginx'; readonly host: string; readonly ingressClassName?: string };

/** The traffic routing of a service in an environment. */
export class Routing {
  /** No router: the canary's share of traffic is its share of the pods. */
  public static replicas(): Routing {
    return new Routing({ kind: 'replicas' });
  }

  /** An HTTPRoute on a Gateway, reweighted by the Argo Rollouts Gateway API plugin. */
  public static gatewayApi(props: { readonly gateway: GatewayRef; readonly hostnames?: string[] }): Routing {
    return new Routing({ kind: 'gateway-api', ...props });
  }

  /**
   * An Istio VirtualService splitting the service's host between its stable and canary Services.
   * `hosts` defaults to the service's name inside the mesh; `gateways` to `['mesh']`.
   */
  public static istio(props: { readonly hosts?: string[]; readonly gateways?: string[] } = {}): Routing {
    return new Routing({ kind: 'istio', ...props });
  }

  /** An ingress-nginx Ingress for `host`, cloned into a canary Ingress by Argo Rollouts. */
  public static nginx(props: { readonly host: string; readonly ingressClassName?: string }): Routing {
    return new Routing({ kind: 'nginx', ...props });
  }

  private constructor(public readonly spec: RoutingSpec) {}
}
