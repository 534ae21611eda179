import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { MetricSource } from '../lib/analysis';
import { RoutingSpec } from '../lib/fleet';
import { HttpRoute, TrafficRouter, VirtualService } from '../lib/rollout';

/** The Services a service's routing splits traffic between. */
export interface RoutedServices {
  readonly name: string;
  readonly stable: kplus.Service;
  readonly canary: kplus.Service;
  /** The port clients reach the Services on. */
  readonly port: number;
}

/** What a routing choice adds to a service chart. */
export interface ServiceRouting {
  /** The router, if traffic is split by one. */
  readonly router?: TrafficRouter;
  /** The metrics that see the canary's own requests under this routing. */
  readonly metricSource: MetricSource;
  /** The objects the router reweights, which must exist before the Rollout. */
  readonly objects: Construct[];
}

/** Creates the router objects of `spec` in `scope`, and picks the metrics that measure the canary's traffic. */
export function serviceRouting(scope: Construct, spec: RoutingSpec, services: RoutedServices): ServiceRouting {
  const metadata = { name: services.name };
  switch (spec.kind) {
    case 'replicas':
      return { metricSource: MetricSource.APP, objects: [] };
    case 'gateway-api': {
      const route = new HttpRoute(scope, 'HttpRoute', {
        metadata, gateway: spec.gateway, hostnames: spec.hostnames,
        stableService: services.stable, canaryService: services.canary, port: services.port,
      });
      // The gateway's own metrics cannot tell canary from stable backends; the app's can, by pod hash.
      return { router: TrafficRouter.gatewayApi(route), metricSource: MetricSource.APP, objects: [route] };
    }
    case 'istio': {
      const virtualService = new VirtualService(scope, 'VirtualService', {
        metadata, hosts: spec.hosts ?? [services.name], gateways: spec.gateways,
        stableService: services.stable, canaryService: services.canary, port: services.port,
      });
      return { router: TrafficRouter.istio(virtualService), metricSource: MetricSource.ISTIO, objects: [virtualService] };
    }
    case 'nginx': {
      const ingress = new kplus.Ingress(scope, 'Ingress', { metadata, className: spec.ingressClassName });
      ingress.addHostRule(spec.host, '/', kplus.IngressBackend.fromService(services.stable, { port: services.port }), kplus.HttpIngressPathType.PREFIX);
      return { router: TrafficRouter.nginx(ingress), metricSource: MetricSource.NGINX, objects: [ingress] };
    }
  }
}
