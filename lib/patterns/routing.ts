import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { MetricSource } from '../analysis/presets';
import { GatewayRef, HttpRoute } from '../rollout/http-route';
import { TrafficRouter } from '../rollout/traffic-router';
import { VirtualService } from '../rollout/virtual-service';

/** The Services a routing splits traffic between. */
export interface RoutedServices {
  /** The service's name, which names the router's objects. */
  readonly name: string;
  readonly stable: kplus.Service;
  readonly canary: kplus.Service;
  /** The port clients reach the Services on. */
  readonly port: number;
}

/** What a routing adds to a canary service. */
export interface BoundRouting {
  /**
   * The router, if traffic is split by one.
   * @default - none: the canary's share is its share of the pods
   */
  readonly router?: TrafficRouter;
  /** The metrics that see the canary's own requests under this routing. */
  readonly metricSource: MetricSource;
  /** The objects the router reweights, which must exist before the Rollout. */
  readonly objects: Construct[];
}

/** Options of {@link Routing.gatewayApi}. */
export interface GatewayApiRoutingOptions {
  /** The Gateway the HTTPRoute attaches to. */
  readonly gateway: GatewayRef;
  /**
   * The hostnames the route matches.
   * @default - every hostname of the Gateway's listeners
   */
  readonly hostnames?: string[];
}

/** Options of {@link Routing.istio}. */
export interface IstioRoutingOptions {
  /**
   * The hosts the VirtualService serves.
   * @default - the service's name inside the mesh
   */
  readonly hosts?: string[];
  /**
   * The gateways the VirtualService applies to.
   * @default ['mesh']
   */
  readonly gateways?: string[];
}

/** Options of {@link Routing.nginx}. */
export interface NginxRoutingOptions {
  /** The host the Ingress serves. */
  readonly host: string;
  /**
   * The Ingress class.
   * @default - the cluster's default class
   */
  readonly ingressClassName?: string;
}

/** How a service's traffic reaches its canary. */
export abstract class Routing {
  /** No router: the canary's share of traffic is its share of the pods. */
  public static replicas(): Routing {
    return new ReplicaRouting();
  }

  /** An HTTPRoute on a Gateway, reweighted by the Argo Rollouts Gateway API plugin. */
  public static gatewayApi(options: GatewayApiRoutingOptions): Routing {
    return new GatewayApiRouting(options);
  }

  /** An Istio VirtualService splitting the service's host between its stable and canary Services. */
  public static istio(options: IstioRoutingOptions = {}): Routing {
    return new IstioRouting(options);
  }

  /** An ingress-nginx Ingress for `host`, cloned into a canary Ingress by Argo Rollouts. */
  public static nginx(options: NginxRoutingOptions): Routing {
    return new NginxRouting(options);
  }

  /** The routing's name in reports: `replicas`, `gateway-api`, `istio` or `nginx`. */
  public abstract readonly name: string;

  /**
   * Creates the router's objects in `scope` and picks the metrics that see the canary's traffic.
   * @internal
   */
  public abstract _bind(scope: Construct, services: RoutedServices): BoundRouting;
}

class ReplicaRouting extends Routing {
  public readonly name = 'replicas';

  public _bind(): BoundRouting {
    return { metricSource: MetricSource.APP, objects: [] };
  }
}

class GatewayApiRouting extends Routing {
  public readonly name = 'gateway-api';

  constructor(private readonly options: GatewayApiRoutingOptions) {
    super();
  }

  public _bind(scope: Construct, services: RoutedServices): BoundRouting {
    const route = new HttpRoute(scope, 'HttpRoute', {
      metadata: { name: services.name }, gateway: this.options.gateway, hostnames: this.options.hostnames,
      stableService: services.stable, canaryService: services.canary, port: services.port,
    });
    // The gateway's own metrics cannot tell canary from stable backends; the app's can, by pod hash.
    return { router: TrafficRouter.gatewayApi(route), metricSource: MetricSource.APP, objects: [route] };
  }
}

class IstioRouting extends Routing {
  public readonly name = 'istio';

  constructor(private readonly options: IstioRoutingOptions) {
    super();
  }

  public _bind(scope: Construct, services: RoutedServices): BoundRouting {
    const virtualService = new VirtualService(scope, 'VirtualService', {
      metadata: { name: services.name }, hosts: this.options.hosts ?? [services.name], gateways: this.options.gateways,
      stableService: services.stable, canaryService: services.canary, port: services.port,
    });
    return { router: TrafficRouter.istio(virtualService), metricSource: MetricSource.ISTIO, objects: [virtualService] };
  }
}

class NginxRouting extends Routing {
  public readonly name = 'nginx';

  constructor(private readonly options: NginxRoutingOptions) {
    super();
  }

  public _bind(scope: Construct, services: RoutedServices): BoundRouting {
    const ingress = new kplus.Ingress(scope, 'Ingress', { metadata: { name: services.name }, className: this.options.ingressClassName });
    ingress.addHostRule(this.options.host, '/', kplus.IngressBackend.fromService(services.stable, { port: services.port }), kplus.HttpIngressPathType.PREFIX);
    return { router: TrafficRouter.nginx(ingress), metricSource: MetricSource.NGINX, objects: [ingress] };
  }
}
