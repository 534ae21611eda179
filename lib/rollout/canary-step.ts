import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import * as ro from '../../imports/rollout-argoproj.io';
import { problemAt } from '../errors/problem';
import { goDuration, seconds, wholeSecondsProblems } from '../private/durations';
import { unmatchedLabels } from '../private/labels';
import { requireFields } from '../private/required';
import { AnalysisRunProps } from './analysis-run';
import { ExperimentAnalysis, ExperimentService } from './experiment-analysis';
import { analysisRunProblems, canFailRun, toAnalysis } from './private/analysis-run';
import { experimentAnalysesProblems, experimentCanFail, templateNameProblems, templateServiceProblems, toExperimentAnalyses } from './private/experiment-checks';
import { StringMatch } from './string-match';
import { TrafficRouter } from './traffic-router';

/** The largest weight a canary step may set unless the router allows a `maxTrafficWeight`. */
export const MAX_TRAFFIC_WEIGHT = 100;

/** What a step needs to know of its strategy to check itself. */
export interface StepContext {
  /** The strategy's traffic router, if any. */
  readonly router?: TrafficRouter;
  /** The highest weight a step may set. */
  readonly maxTrafficWeight: number;
  /** The labels of the Rollout's pods, which experiment ReplicaSets copy. */
  readonly podLabels: Record<string, string>;
}

/** Which ReplicaSet's pod template an experiment runs. */
export class ExperimentSpecRef {
  /** The new version's pod template. */
  public static readonly CANARY = new ExperimentSpecRef('canary');
  /** The stable version's pod template. */
  public static readonly STABLE = new ExperimentSpecRef('stable');

  private constructor(public readonly value: string) {}
}

/** One ReplicaSet an experiment runs beside the Rollout's own. */
export interface ExperimentTemplate {
  /** The name, unique within the experiment; analyses refer to its pod hash as `{{templates.NAME.podTemplateHash}}`. */
  readonly name: string;
  /** The pod template to run. */
  readonly specRef: ExperimentSpecRef;
  /**
   * Pods to run.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * A share of traffic sent to this ReplicaSet; needs a router that supports it (Istio). The
   * controller creates a Service for it.
   * @default - no traffic: the experiment is measured on its own
   */
  readonly weight?: number;
  /**
   * The labels the ReplicaSet selects its pods by; they must be labels of its pods (the Rollout's pod
   * labels plus `metadata.labels`).
   * @default - the selector of the ReplicaSet it copies
   */
  readonly selector?: Record<string, string>;
  /**
   * Labels and annotations added to its pods; the controller adds the labels to the selector too
   * (rollout/experiment.go), e.g. to keep the stable Service from selecting experiment pods.
   * @default - none
   */
  readonly metadata?: { readonly labels?: Record<string, string>; readonly annotations?: Record<string, string> };
  /**
   * A Service for its pods.
   * @default - none, unless `weight` is set
   */
  readonly service?: ExperimentService;
}

/** Properties of an experiment step. */
export interface ExperimentStepProps {
  /**
   * How long the experiment runs. Without one and without an analysis marked requiredForCompletion,
   * it runs until a person promotes the Rollout past the step, which then gates the weight before it.
   * @default - until every analysis marked requiredForCompletion succeeds, or until promoted by hand
   */
  readonly duration?: Duration;
  /** The ReplicaSets to run. */
  readonly templates: ExperimentTemplate[];
  /**
   * Analyses comparing them.
   * @default - none
   */
  readonly analyses?: ExperimentAnalysis[];
}

/** A request header a header route matches. */
export interface HeaderMatch {
  /** The header's name. */
  readonly headerName: string;
  /** How the header's value matches. */
  readonly value: StringMatch;
}

/** Properties of a setHeaderRoute step. */
export interface HeaderRouteProps {
  /** The managed route's name; the strategy lists it in `managedRoutes`. */
  readonly name: string;
  /**
   * Requests with all of these headers go to the canary. Without any, the route is removed.
   * @default - remove the route
   */
  readonly match?: HeaderMatch[];
}

/** A request a mirror route copies to the canary. */
export interface MirrorMatch {
  /**
   * The HTTP method.
   * @default - any method
   */
  readonly method?: StringMatch;
  /**
   * The request path.
   * @default - any path
   */
  readonly path?: StringMatch;
  /**
   * Headers, by name.
   * @default - any headers
   */
  readonly headers?: Record<string, StringMatch>;
}

/** Properties of a setMirrorRoute step. */
export interface MirrorRouteProps {
  /** The managed route's name; the strategy lists it in `managedRoutes`. */
  readonly name: string;
  /**
   * The share of matching requests copied to the canary, in percent.
   * @default 100
   */
  readonly percentage?: number;
  /**
   * Requests matching any entry are mirrored. Without any, the route is removed.
   * @default - remove the route
   */
  readonly match?: MirrorMatch[];
}

/** One step of a canary rollout. */
export abstract class CanaryStep {
  /** Sends `percent` of traffic to the canary (or scales it to that share of replicas without a router). */
  public static setWeight(percent: number): CanaryStep {
    return new SetWeightStep(percent);
  }

  /** Waits for `duration`, or until a human promotes when no duration is given. */
  public static pause(duration?: Duration): CanaryStep {
    return new PauseStep(duration);
  }

  /** Runs analysis templates; the step ends when they complete, and a failure aborts the rollout. */
  public static analysis(props: AnalysisRunProps): CanaryStep {
    requireFields('analysis step', props, ['templates']);
    return new AnalysisStep(props);
  }

  /** Runs `replicas` canary pods, whatever the traffic weight; needs a traffic router. */
  public static setCanaryReplicas(replicas: number): CanaryStep {
    return new SetCanaryScaleStep({ replicas }, 'replicas', replicas);
  }

  /** Runs `percent` of the desired pods as canary, whatever the traffic weight; needs a traffic router. */
  public static setCanaryScaleWeight(percent: number): CanaryStep {
    return new SetCanaryScaleStep({ weight: percent }, 'weight', percent);
  }

  /** Scales the canary with the traffic weight again, after setCanaryReplicas or setCanaryScaleWeight. */
  public static matchTrafficWeight(): CanaryStep {
    return new SetCanaryScaleStep({ matchTrafficWeight: true }, 'matchTrafficWeight', true);
  }

  /** Runs extra ReplicaSets (e.g. a baseline of stable beside the canary) and analyses comparing them. */
  public static experiment(props: ExperimentStepProps): CanaryStep {
    return new ExperimentStep(props);
  }

  /** Sends requests with matching headers to the canary, e.g. testers'; needs Istio or Gateway API. */
  public static setHeaderRoute(props: HeaderRouteProps): CanaryStep {
    return new HeaderRouteStep(props);
  }

  /** Copies matching requests to the canary and discards its answers; needs Istio. */
  public static setMirrorRoute(props: MirrorRouteProps): CanaryStep {
    return new MirrorRouteStep(props);
  }

  /** The traffic weight this step sets, if it sets one. */
  public get weight(): number | undefined {
    return undefined;
  }

  /** Whether this step measures the canary in a way that can fail it. */
  public get measures(): boolean {
    return false;
  }

  /** Whether the rollout holds here until a measurement or a person lets it go on to the next weight. */
  public get gates(): boolean {
    return this.measures;
  }

  /** The managed route this step adds or removes, if any. */
  public get routeName(): string | undefined {
    return undefined;
  }

  /** Problems with this step, naming `scope` and `steps[index]`. */
  public abstract problems(scope: IConstruct, index: number, context: StepContext): string[];

  /**
   * The step as the Rollout L1 takes it.
   * @internal
   */
  public abstract _toStep(): ro.RolloutSpecStrategyCanarySteps;
}

/** The problem of a percentage outside 0..max. */
function percentProblems(scope: IConstruct, field: string, value: number, max: number): string[] {
  if (Number.isInteger(value) && value >= 0 && value <= max) return [];
  return [problemAt(scope, field, value, `must be an integer from 0 to ${max}`, 'use a percentage such as 10')];
}

/** The problem of a step that needs a router feature the strategy lacks. */
function routerProblems(
  scope: IConstruct,
  field: string,
  value: unknown,
  router: TrafficRouter | undefined,
  supported: (r: TrafficRouter) => boolean,
  routers: string,
): string[] {
  if (router && supported(router)) return [];
  const has = router ? `the ${router.displayName} router` : 'no traffic router';
  return [problemAt(scope, field, value, `needs a traffic router that supports it (${routers}), and the strategy has ${has}`, `set trafficRouter to one of: ${routers}, or remove the step`)];
}

class SetWeightStep extends CanaryStep {
  constructor(private readonly percent: number) {
    super();
  }

  public override get weight(): number {
    return this.percent;
  }

  public problems(scope: IConstruct, index: number, context: StepContext): string[] {
    return percentProblems(scope, `steps[${index}].setWeight`, this.percent, context.maxTrafficWeight);
  }

  /** @internal */
  public _toStep(): ro.RolloutSpecStrategyCanarySteps {
    return { setWeight: this.percent };
  }
}

class PauseStep extends CanaryStep {
  constructor(private readonly duration?: Duration) {
    super();
  }

  /** A pause without a duration holds until someone promotes, so a person judges the weight before it. */
  public override get gates(): boolean {
    return this.duration === undefined;
  }

  public problems(scope: IConstruct, index: number): string[] {
    return wholeSecondsProblems(scope, `steps[${index}].pause.duration`, this.duration);
  }

  /** @internal */
  public _toStep(): ro.RolloutSpecStrategyCanarySteps {
    const duration = this.duration ? ro.RolloutSpecStrategyCanaryStepsPauseDuration.fromNumber(seconds(this.duration)) : undefined;
    return { pause: { duration } };
  }
}

class AnalysisStep extends CanaryStep {
  constructor(private readonly run: AnalysisRunProps) {
    super();
  }

  /** Whether a failing canary can fail this analysis: a metric that is neither dry-run nor unable to fail. */
  public override get measures(): boolean {
    return canFailRun(this.run);
  }

  public problems(scope: IConstruct, index: number): string[] {
    return analysisRunProblems(scope, `steps[${index}].analysis`, this.run, { mustEnd: true });
  }

  /** @internal */
  public _toStep(): ro.RolloutSpecStrategyCanarySteps {
    return { analysis: toAnalysis(this.run) };
  }
}

class SetCanaryScaleStep extends CanaryStep {
  constructor(
    private readonly scale: ro.RolloutSpecStrategyCanaryStepsSetCanaryScale,
    private readonly field: string,
    private readonly value: number | boolean,
  ) {
    super();
  }

  public problems(scope: IConstruct, index: number, context: StepContext): string[] {
    const field = `steps[${index}].setCanaryScale.${this.field}`;
    const problems = routerProblems(scope, field, this.value, context.router, () => true, 'gateway api, istio, ingress-nginx');
    if (this.scale.weight !== undefined) problems.push(...percentProblems(scope, field, this.scale.weight, 100));
    if (this.scale.replicas !== undefined && !(Number.isInteger(this.scale.replicas) && this.scale.replicas >= 0)) {
      problems.push(problemAt(scope, field, this.scale.replicas, 'must be an integer of at least 0', 'use a replica count such as 1'));
    }
    return problems;
  }

  /** @internal */
  public _toStep(): ro.RolloutSpecStrategyCanarySteps {
    return { setCanaryScale: this.scale };
  }
}

class ExperimentStep extends CanaryStep {
  constructor(private readonly props: ExperimentStepProps) {
    super();
  }

  /** Whether an analysis of the experiment can fail it, which aborts the rollout (rollout/experiment.go). */
  public override get measures(): boolean {
    return experimentCanFail(this.props.analyses ?? []);
  }

  /** An experiment without an end holds the rollout until a person promotes it past the step. */
  public override get gates(): boolean {
    return this.measures || this.openEnded;
  }

  public problems(scope: IConstruct, index: number, context: StepContext): string[] {
    const field = `steps[${index}].experiment`;
    const problems: string[] = [];
    if (this.props.templates.length === 0) {
      problems.push(problemAt(scope, `${field}.templates`, [], 'an experiment needs at least one template', 'add a template with ExperimentSpecRef.CANARY'));
    }
    problems.push(...templateNameProblems(scope, `${field}.templates`, this.props.templates));
    for (const template of this.props.templates) {
      const templateField = `${field}.templates[${template.name}]`;
      if (template.weight !== undefined) {
        problems.push(...routerProblems(scope, `${templateField}.weight`, template.weight, context.router, r => r.supportsExperimentWeight, 'istio'));
        problems.push(...percentProblems(scope, `${templateField}.weight`, template.weight, context.maxTrafficWeight));
      }
      const labels = { ...context.podLabels, ...template.metadata?.labels };
      const unmatched = unmatchedLabels(template.selector ?? {}, labels);
      if (template.selector && Object.keys(template.selector).length === 0) {
        problems.push(problemAt(scope, `${templateField}.selector`, {}, 'an empty selector is refused for a replicaset', 'remove it to keep the rollout\'s selector'));
      } else if (unmatched.length) {
        problems.push(problemAt(scope, `${templateField}.selector`, unmatched.join(','), 'is not a label of the experiment\'s pods, so its replicaset would select none of them', 'select rollout pod labels or metadata.labels of the template'));
      }
      problems.push(...templateServiceProblems(scope, templateField, template.service));
    }
    problems.push(...wholeSecondsProblems(scope, `${field}.duration`, this.props.duration, 1));
    problems.push(...experimentAnalysesProblems(scope, field, this.props.analyses ?? [], this.props.templates.map(t => t.name)));
    return problems;
  }

  /** @internal */
  public _toStep(): ro.RolloutSpecStrategyCanarySteps {
    return {
      experiment: {
        duration: this.props.duration ? goDuration(this.props.duration) : undefined,
        templates: this.props.templates.map(t => ({
          name: t.name,
          specRef: t.specRef.value,
          replicas: t.replicas,
          weight: t.weight,
          selector: t.selector && { matchLabels: t.selector },
          metadata: t.metadata,
          service: t.service && { name: t.service.name },
        })),
        analyses: toExperimentAnalyses(this.props.analyses),
      },
    };
  }

  private get openEnded(): boolean {
    return this.props.duration === undefined && !(this.props.analyses ?? []).some(a => a.requiredForCompletion);
  }
}

/** The problem of a route name the controller rejects, and of an empty match value. */
function routeProblems(scope: IConstruct, field: string, name: string, matches: StringMatch[]): string[] {
  const problems: string[] = [];
  if (name.trim() === '') problems.push(problemAt(scope, `${field}.name`, name, 'must not be empty', 'name the route, e.g. testers'));
  for (const match of matches.filter(m => m.value === '')) {
    problems.push(problemAt(scope, `${field}.match`, match.value, 'a match value must not be empty', 'match a value, or remove the match'));
  }
  return problems;
}

class HeaderRouteStep extends CanaryStep {
  constructor(private readonly props: HeaderRouteProps) {
    super();
  }

  public override get routeName(): string {
    return this.props.name;
  }

  public problems(scope: IConstruct, index: number, context: StepContext): string[] {
    const field = `steps[${index}].setHeaderRoute`;
    return [
      ...routerProblems(scope, field, this.props.name, context.router, r => r.supportsHeaderRoutes, 'gateway api, istio'),
      ...routeProblems(scope, field, this.props.name, (this.props.match ?? []).map(m => m.value)),
    ];
  }

  /** @internal */
  public _toStep(): ro.RolloutSpecStrategyCanarySteps {
    return {
      setHeaderRoute: {
        name: this.props.name,
        match: this.props.match?.map(m => ({ headerName: m.headerName, headerValue: m.value._toJson() })),
      },
    };
  }
}

class MirrorRouteStep extends CanaryStep {
  constructor(private readonly props: MirrorRouteProps) {
    super();
  }

  public override get routeName(): string {
    return this.props.name;
  }

  public problems(scope: IConstruct, index: number, context: StepContext): string[] {
    const field = `steps[${index}].setMirrorRoute`;
    const matches = (this.props.match ?? [])
      .flatMap(m => [m.method, m.path, ...Object.values(m.headers ?? {})])
      .filter((m): m is StringMatch => m !== undefined);
    return [
      ...routerProblems(scope, field, this.props.name, context.router, r => r.supportsMirrorRoutes, 'istio'),
      ...routeProblems(scope, field, this.props.name, matches),
      ...this.props.percentage === undefined ? [] : percentProblems(scope, `${field}.percentage`, this.props.percentage, 100),
    ];
  }

  /** @internal */
  public _toStep(): ro.RolloutSpecStrategyCanarySteps {
    const json = (m?: StringMatch) => m?._toJson();
    return {
      setMirrorRoute: {
        name: this.props.name,
        percentage: this.props.percentage,
        match: this.props.match?.map(m => ({
          method: json(m.method),
          path: json(m.path),
          headers: m.headers && Object.fromEntries(Object.entries(m.headers).map(([k, v]) => [k, v._toJson()])),
        })),
      },
    };
  }
}
