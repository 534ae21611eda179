import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import * as ro from '../../imports/rollout-argoproj.io';
import { problemAt } from '../errors/problem';
import { requireFields } from '../private/required';
import { HttpRoute } from './http-route';
import type { ControllerOwnedField } from './strategy-target';
import { VirtualService } from './virtual-service';

/** The name under which the Argo Rollouts Gateway API plugin is registered and configured. */
export const GATEWAY_API_PLUGIN = 'argoproj-labs/gatewayAPI';

/** The annotation prefix ingress-nginx reads by default (utils/defaults/defaults.go, DefaultCanaryIngressAnnotationPrefix). */
export const DEFAULT_NGINX_ANNOTATION_PREFIX = 'nginx.ingress.kubernetes.io';

/** Options of the ingress-nginx router (docs/features/traffic-management/nginx.md). */
export interface NginxRouterOptions {
  /**
   * The annotation prefix of the ingress-nginx controller, when it was configured with another.
   * @default - omitted: nginx.ingress.kubernetes.io
   */
  readonly annotationPrefix?: string;
  /**
   * Annotations of the canary Ingress, written under the prefix, e.g. `{ 'canary-by-header': 'X-Canary' }`
   * to route by header. `canary` and `canary-weight` are the controller's own
   * (rollout/trafficrouting/nginx/nginx.go, canaryIngress).
   * @default - none
   */
  readonly additionalIngressAnnotations?: Record<string, string>;
  /**
   * Full annotations of the canary Ingress, of any group, without the prefix; they win over
   * `additionalIngressAnnotations` on a collision.
   * @default - none
   */
  readonly canaryIngressAnnotations?: Record<string, string>;
}

/** Annotation names of the canary Ingress the controller always writes itself (nginx.go, canaryIngress). */
const NGINX_CONTROLLER_ANNOTATIONS = ['canary', 'canary-weight', 'canary-weight-total'];

/** A qualified annotation name: an optional DNS subdomain prefix, then a name of at most 63 characters. */
const ANNOTATION_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

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
    requireFields('gateway api router', { route }, ['route']);
    return new GatewayApiRouter(route);
  }

  /** Argo Rollouts reweights the route of an Istio VirtualService. */
  public static istio(virtualService: VirtualService): TrafficRouter {
    requireFields('istio router', { virtualService }, ['virtualService']);
    return new IstioRouter(virtualService);
  }

  /**
   * Argo Rollouts clones the stable Ingress into a canary Ingress with ingress-nginx's canary
   * annotations; given several (one per ingress controller, e.g. internal and external), it clones
   * each (`stableIngresses`, since v1.5). ingress-nginx was retired upstream in March 2026; prefer
   * Gateway API for new clusters.
   */
  public static nginx(stableIngress: kplus.Ingress | kplus.Ingress[], options: NginxRouterOptions = {}): TrafficRouter {
    requireFields('nginx router', { stableIngress }, ['stableIngress']);
    return new NginxRouter(Array.isArray(stableIngress) ? stableIngress : [stableIngress], Array.isArray(stableIngress), options);
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

  constructor(
    private readonly stableIngresses: readonly kplus.Ingress[],
    /** Whether the ingresses were given as a list, written as `stableIngresses`. */
    private readonly many: boolean,
    private readonly options: NginxRouterOptions,
  ) {
    super();
  }

  /** The controller clones each stable Ingress and points the clone at the canary Service. */
  public problems(scope: IConstruct, services: CanaryServices): string[] {
    const field = this.many ? 'trafficRouting.stableIngresses' : 'trafficRouting.stableIngress';
    const problems: string[] = [];
    if (this.stableIngresses.length === 0) problems.push(problemAt(scope, field, [], 'needs at least one ingress', 'pass the ingress that routes to the stable service'));
    type Rule = { http?: { paths?: { backend?: { service?: { name?: string } } }[] } };
    for (const ingress of this.stableIngresses) {
      const rules: Rule[] = ApiObject.of(ingress).toJson().spec?.rules ?? [];
      const backends = rules.flatMap(rule => rule.http?.paths ?? []).map(path => path.backend?.service?.name);
      problems.push(...[...new Set(backends)].filter(name => name !== services.stable?.name)
        .map(name => problemAt(scope, field, name ?? '(none)', `routes to another service than the strategy's stableService '${services.stable?.name}'`, 'point every path of the stable ingress at the stable service')));
    }
    const { annotationPrefix: prefix, additionalIngressAnnotations: additional = {}, canaryIngressAnnotations: canary = {} } = this.options;
    if (prefix !== undefined && !ANNOTATION_NAME.test(`${prefix}/x`)) {
      problems.push(problemAt(scope, 'trafficRouting.nginx.annotationPrefix', prefix, 'is not an annotation prefix (a dns subdomain)', `give the prefix the ingress-nginx controller reads, e.g. '${DEFAULT_NGINX_ANNOTATION_PREFIX}'`));
    }
    for (const key of Object.keys(additional)) {
      if (NGINX_CONTROLLER_ANNOTATIONS.includes(key)) {
        problems.push(problemAt(scope, `trafficRouting.nginx.additionalIngressAnnotations.${key}`, additional[key], 'is written by the controller at every step, which overwrites it', 'remove it; setWeight steps set the weight'));
      } else if (key.includes('/') || !ANNOTATION_NAME.test(key)) {
        problems.push(problemAt(scope, `trafficRouting.nginx.additionalIngressAnnotations.${key}`, additional[key], 'must be an annotation name without a prefix: the controller adds the annotation prefix', 'drop the prefix, or use canaryIngressAnnotations for a full annotation'));
      }
    }
    for (const key of Object.keys(canary).filter(k => !ANNOTATION_NAME.test(k))) {
      problems.push(problemAt(scope, `trafficRouting.nginx.canaryIngressAnnotations.${key}`, canary[key], 'is not a kubernetes annotation name', 'write it as <dns subdomain>/<name>, e.g. my-custom-annotation.mygroup.com/key'));
    }
    return problems;
  }

  /** @internal */
  public _toTrafficRouting(): ro.RolloutSpecStrategyCanaryTrafficRouting {
    const names = this.stableIngresses.map(i => i.name);
    const { annotationPrefix, additionalIngressAnnotations: additional, canaryIngressAnnotations: canary } = this.options;
    return {
      nginx: {
        stableIngress: this.many ? undefined : names[0],
        stableIngresses: this.many ? names : undefined,
        annotationPrefix,
        additionalIngressAnnotations: additional && Object.keys(additional).length ? { ...additional } : undefined,
        canaryIngressAnnotations: canary && Object.keys(canary).length ? { ...canary } : undefined,
      },
    };
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
