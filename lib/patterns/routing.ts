import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { MetricSource } from '../analysis/presets';
import { reportAt } from '../errors/problem';
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

/** Which Istio data plane carries a service's traffic: which proxy applies the VirtualService and reports the requests. */
export class IstioDataPlane {
  /** Sidecars: the calling pod's proxy applies the VirtualService and reports each request (`reporter="source"`). */
  public static readonly SIDECAR = new IstioDataPlane('sidecar');
  /**
   * Ambient mode: the waypoint of the entry Service applies the VirtualService and reports each request
   * (`reporter="waypoint"`). The entry Service or its namespace must use a waypoint
   * (`istio.io/use-waypoint`): without one nothing applies the VirtualService, ztunnel spreads
   * connections over all the entry Service's pods and counts no requests, so every measurement is
   * Inconclusive and the Rollout pauses. Istio rates VirtualService on waypoints Alpha
   * (istio.io/latest/docs/ambient/migrate/migrate-policies); Argo Rollouts v1.9.1 only rewrites its
   * weights, whichever proxy applies it.
   */
  public static readonly AMBIENT = new IstioDataPlane('ambient');

  private constructor(public readonly value: 'sidecar' | 'ambient') {}

  /** The metrics that see the canary's requests on this data plane. */
  public get metricSource(): MetricSource {
    return this === IstioDataPlane.AMBIENT ? MetricSource.ISTIO_WAYPOINT : MetricSource.ISTIO;
  }
}

/** Options of {@link Routing.istio}. */
export interface IstioRoutingOptions {
  /**
   * The hosts the VirtualService serves.
   * @default - the service's name inside the mesh
   */
  readonly hosts?: string[];
  /**
   * The gateways the VirtualService applies to. In ambient mode it must include `mesh`, and only
   * requests between workloads of the mesh are measured: those an Istio gateway splits are not the
   * waypoint's to report.
   * @default ['mesh']
   */
  readonly gateways?: string[];
  /**
   * The data plane, which decides the proxy whose metrics judge the canary.
   * @default IstioDataPlane.SIDECAR
   */
  readonly dataPlane?: IstioDataPlane;
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
    const dataPlane = this.options.dataPlane ?? IstioDataPlane.SIDECAR;
    const gateways = this.options.gateways ?? ['mesh'];
    const virtualService = new VirtualService(scope, 'VirtualService', {
      metadata: { name: services.name }, hosts: this.options.hosts ?? [services.name], gateways,
      stableService: services.stable, canaryService: services.canary, port: services.port,
    });
    // A waypoint applies only the VirtualServices bound to `mesh` (istio/istio pilot/pkg/model/sidecar.go,
    // DefaultSidecarScopeForGateway): bound to gateways alone, no waypoint splits or reports the traffic. A
    // gateway's stats filter has no reporter set and reports as a client, reporter="source" (istio_stats.cc, Config).
    if (dataPlane === IstioDataPlane.AMBIENT && !gateways.includes('mesh')) {
      reportAt(virtualService, 'gateways', gateways,
        "leaves out 'mesh': in ambient mode the waypoint splits and reports the canary's requests, and a waypoint applies only VirtualServices bound to 'mesh'",
        "add 'mesh' to gateways, or leave dataPlane at IstioDataPlane.SIDECAR when only an Istio gateway splits the traffic (it reports as reporter=\"source\")");
    }
    return { router: TrafficRouter.istio(virtualService), metricSource: dataPlane.metricSource, objects: [virtualService] };
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
    // The backend refers to the port by number: cdk8s-plus-28 IngressBackend.fromService renders `port: { number }`,
    // which names the canary upstream `<namespace>-<service>-<number>` (see MetricSource.nginx).
    return { router: TrafficRouter.nginx(ingress), metricSource: MetricSource.nginx(services.port), objects: [ingress] };
  }
}
