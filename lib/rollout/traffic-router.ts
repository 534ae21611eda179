import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import * as ro from '../../imports/rollout-argoproj.io';
import { problemAt } from '../errors/problem';
import { HttpRoute } from './http-route';
import type { ControllerOwnedField } from './strategy-target';
import { VirtualService } from './virtual-service';

/** The name under which the Argo Rollouts Gateway API plugin is registered and configured. */
export const GATEWAY_API_PLUGIN = 'argoproj-labs/gatewayAPI';

/** The Services a canary strategy splits traffic between, where it has them. */
export interface CanaryServices {
  readonly stable?: kplus.Service;
  readonly canary?: kplus.Service;
}

/**
 * How the canary's share of traffic is enforced. Without a router, the share is the canary's share of
 * pods; with one, the router sets exact weights and the pod count can follow independently.
 */
export abstract class TrafficRouter {
  /** The Argo Rollouts Gateway API plugin reweights the backends of an HTTPRoute. */
  public static gatewayApi(route: HttpRoute): TrafficRouter {
    return new GatewayApiRouter(route);
  }

  /** Argo Rollouts reweights the route of an Istio VirtualService. */
  public static istio(virtualService: VirtualService): TrafficRouter {
    return new IstioRouter(virtualService);
  }

  /**
   * Argo Rollouts clones the stable Ingress into a canary Ingress with ingress-nginx's canary
   * annotations. ingress-nginx was retired upstream in March 2026; prefer Gateway API for new clusters.
   */
  public static nginx(stableIngress: kplus.Ingress): TrafficRouter {
    return new NginxRouter(stableIngress);
  }

  /** The router's name in messages. */
  public abstract readonly displayName: string;
  /** Whether setHeaderRoute steps work with this router. */
  public abstract readonly supportsHeaderRoutes: boolean;
  /** Whether setMirrorRoute steps work with this router. */
  public abstract readonly supportsMirrorRoutes: boolean;
  /** Whether `maxTrafficWeight` works with this router. */
  public abstract readonly supportsMaxTrafficWeight: boolean;
  /** Whether experiment templates may take a traffic weight with this router. */
  public abstract readonly supportsExperimentWeight: boolean;
  /** Whether the router sends traffic to the strategy's stable and canary Services, which it then needs. */
  public abstract readonly requiresServices: boolean;

  /** Problems with the router's objects for the strategy's Services. */
  public abstract problems(scope: IConstruct, services: CanaryServices): string[];

  /**
   * The `trafficRouting` block, without `managedRoutes` and `maxTrafficWeight`, which the strategy adds.
   * @internal
   */
  public abstract _toTrafficRouting(): ro.RolloutSpecStrategyCanaryTrafficRouting;

  /**
   * The fields the controller writes at run time.
   * @param managedRoutes whether header or mirror routes are added, which rewrite whole route lists
   */
  public abstract controllerOwnedFields(managedRoutes: boolean): ControllerOwnedField[];
}

/** The problem of a router object that splits traffic between other Services than the strategy's. */
function servicesProblems(scope: IConstruct, object: string, objectServices: CanaryServices, services: CanaryServices): string[] {
  return (['stable', 'canary'] as const)
    .filter(role => objectServices[role] !== services[role])
    .map(role => problemAt(scope, `trafficRouting.${object}`, objectServices[role]?.name, `routes ${role} traffic to another service than the strategy's ${role}Service '${services[role]?.name ?? '(none)'}'`, `create the ${object} with the strategy's ${role}Service`));
}

/**
 * The pointers to the fields the controller rewrites in a route list: the stable and canary weights
 * of the first route (both route objects list stable first, canary second), or the whole list once
 * header or mirror routes are added to it.
 */
function routePointers(list: string, destinations: string, managedRoutes: boolean): string[] {
  return managedRoutes ? [list] : [`${list}/0/${destinations}/0/weight`, `${list}/0/${destinations}/1/weight`];
}

class GatewayApiRouter extends TrafficRouter {
  public readonly displayName = 'gateway api';
  public readonly supportsHeaderRoutes = true;
  public readonly supportsMirrorRoutes = false;
  public readonly supportsMaxTrafficWeight = true;
  public readonly supportsExperimentWeight = false;
  public readonly requiresServices = true;

  constructor(private readonly route: HttpRoute) {
    super();
  }

  public problems(scope: IConstruct, services: CanaryServices): string[] {
    return servicesProblems(scope, 'httpRoute', { stable: this.route.stableService, canary: this.route.canaryService }, services);
  }

  /**
   * The plugin stamps an "in-progress" label on the route during a canary, for GitOps rules that
   * ignore `.spec.rules` only while it is there (plugin docs/features/multiple-routes.md). Such a
   * conditional rule matches the live route but not Git's, so the Application stays OutOfSync
   * mid-canary (plugin issue #208). The Application ignores the weights unconditionally instead
   * ({@link controllerOwnedFields}), which holds the same on both sides, so the label serves nothing
   * and is turned off: the live route then differs from Git only in the ignored weights
   * (pkg/plugin/labels.go, ensureInProgressLabel).
   * @internal
   */
  public _toTrafficRouting(): ro.RolloutSpecStrategyCanaryTrafficRouting {
    return { plugins: { [GATEWAY_API_PLUGIN]: { httpRoute: this.route.name, disableInProgressLabel: true } } };
  }

  public controllerOwnedFields(managedRoutes: boolean): ControllerOwnedField[] {
    return [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: this.route.name, jsonPointers: routePointers('/spec/rules', 'backendRefs', managedRoutes) }];
  }
}

class IstioRouter extends TrafficRouter {
  public readonly displayName = 'istio';
  public readonly supportsHeaderRoutes = true;
  public readonly supportsMirrorRoutes = true;
  public readonly supportsMaxTrafficWeight = false;
  public readonly supportsExperimentWeight = true;

  constructor(private readonly virtualService: VirtualService) {
    super();
  }

  /** Split by subset, the controller labels the DestinationRule's subsets instead of rewriting Service selectors. */
  public get requiresServices(): boolean {
    return this.virtualService.destinationRule === undefined;
  }

  public problems(scope: IConstruct, services: CanaryServices): string[] {
    return servicesProblems(scope, 'virtualService', { stable: this.virtualService.stableService, canary: this.virtualService.canaryService }, services);
  }

  /** @internal */
  public _toTrafficRouting(): ro.RolloutSpecStrategyCanaryTrafficRouting {
    const rule = this.virtualService.destinationRule;
    return {
      istio: {
        virtualService: { name: this.virtualService.name, routes: [VirtualService.ROUTE] },
        destinationRule: rule && { name: rule.name, stableSubsetName: 'stable', canarySubsetName: 'canary' },
      },
    };
  }

  public controllerOwnedFields(managedRoutes: boolean): ControllerOwnedField[] {
    const fields: ControllerOwnedField[] = [{ group: 'networking.istio.io', kind: 'VirtualService', name: this.virtualService.name, jsonPointers: routePointers('/spec/http', 'route', managedRoutes) }];
    const rule = this.virtualService.destinationRule;
    // The controller labels each subset with its ReplicaSet's pod template hash, inside the subsets list
    // that Argo CD compares whole; its managed-by annotation is a map key and no diff
    // (argo-rollouts v1.9.1 rollout/trafficrouting/istio/istio.go, UpdateHash).
    if (rule) fields.push({ group: 'networking.istio.io', kind: 'DestinationRule', name: rule.name, jsonPointers: ['/spec/subsets'] });
    return fields;
  }
}

class NginxRouter extends TrafficRouter {
  public readonly displayName = 'ingress-nginx';
  public readonly supportsHeaderRoutes = false;
  public readonly supportsMirrorRoutes = false;
  public readonly supportsMaxTrafficWeight = true;
  public readonly supportsExperimentWeight = false;
  public readonly requiresServices = true;

  constructor(private readonly stableIngress: kplus.Ingress) {
    super();
  }

  /** The controller clones the stable Ingress and points the clone at the canary Service. */
  public problems(scope: IConstruct, services: CanaryServices): string[] {
    type Rule = { http?: { paths?: { backend?: { service?: { name?: string } } }[] } };
    const rules: Rule[] = ApiObject.of(this.stableIngress).toJson().spec?.rules ?? [];
    const backends = rules.flatMap(rule => rule.http?.paths ?? []).map(path => path.backend?.service?.name);
    return [...new Set(backends)].filter(name => name !== services.stable?.name)
      .map(name => problemAt(scope, 'trafficRouting.stableIngress', name ?? '(none)', `routes to another service than the strategy's stableService '${services.stable?.name}'`, 'point every path of the stable ingress at the stable service'));
  }

  /** @internal */
  public _toTrafficRouting(): ro.RolloutSpecStrategyCanaryTrafficRouting {
    return { nginx: { stableIngress: this.stableIngress.name } };
  }

  /**
   * The canary Ingress is the controller's own object, owned by the Rollout and not in Git; it copies
   * only the ingress class from the stable one, not Argo CD's tracking label or annotation, so Argo CD
   * neither reports nor prunes it (argo-rollouts v1.9.1 rollout/trafficrouting/nginx/nginx.go,
   * buildCanaryIngress).
   */
  public controllerOwnedFields(): ControllerOwnedField[] {
    return [];
  }
}
