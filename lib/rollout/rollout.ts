import { ApiObject, ApiObjectMetadata, Duration, Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import * as ro from '../../imports/rollout-argoproj.io';
import { reportAt, report, problemAt } from '../errors/problem';
import { addSynthNotes } from '../output/synth-notes';
import { toCrdSpec } from '../private/crd-spec';
import { seconds, wholeSecondsProblems } from '../private/durations';
import { unmatchedLabels } from '../private/labels';
import { requireFields } from '../private/required';
import { NAME_LABEL } from './pod-labels';
import { ControllerOwnedField, IRolloutStrategy, StrategyTarget } from './strategy-target';

/** When the Deployment a Rollout takes its pod template from is scaled down (pkg/apis/rollouts/v1alpha1/types.go). */
export class ScaleDown {
  /** Never: the Deployment keeps its pods until someone scales it down. */
  public static readonly NEVER = new ScaleDown('never');
  /** Once the Rollout is healthy: both run side by side until then, the safest hand-over. */
  public static readonly ON_SUCCESS = new ScaleDown('onsuccess');
  /** As the Rollout scales up, pod for pod. */
  public static readonly PROGRESSIVELY = new ScaleDown('progressively');

  private constructor(public readonly value: string) {}
}

/** An existing Deployment whose pod template a Rollout runs: the documented migration path. */
export interface WorkloadRef {
  /** The Deployment's name, in the Rollout's namespace. */
  readonly deploymentName: string;
  /**
   * When the Deployment is scaled down.
   * @default - omitted, which the controller treats as never: it scales the Deployment down only for
   * `onsuccess` and `progressively` (rollout/sync.go and rollout/replicaset.go)
   */
  readonly scaleDown?: ScaleDown;
}

/** Properties of a {@link Rollout}. */
export interface RolloutProps extends Omit<kplus.WorkloadProps, 'select' | 'metadata'> {
  /** Metadata; `name` is required because Services, analysis and Argo CD refer to it. */
  readonly metadata: ApiObjectMetadata & { readonly name: string };
  /** How new versions replace old ones: `RolloutStrategy.canary(...)` or `RolloutStrategy.blueGreen(...)`. */
  readonly strategy: IRolloutStrategy;
  /**
   * Desired pods; ignored (and not emitted) once an autoscaler owns the count.
   * @default 3 - written explicitly. The controller's default is 1 (pkg/apis/rollouts/v1alpha1/types.go,
   * RolloutSpec.Replicas, "Defaults to 1"), but one pod cannot run a canary beside a stable pod at a
   * weight below 50%, and a PodDisruptionBudget cannot keep one up through a drain; a 1 is written when asked for.
   */
  readonly replicas?: number;
  /**
   * Old ReplicaSets kept for rollback.
   * @default 3
   */
  readonly revisionHistoryLimit?: number;
  /**
   * How long an update may make no progress before it counts as failed and is aborted.
   * @default Duration.minutes(10)
   */
  readonly progressDeadline?: Duration;
  /**
   * Whether an update that misses the progress deadline is aborted, sending all traffic back to stable.
   * Without it the controller only marks the Rollout Degraded (rollout/sync.go, evaluateProgressDeadlineAbort),
   * and a canary whose pods never become ready keeps its step's weight until someone aborts it; the plan warns.
   * @default true
   */
  readonly progressDeadlineAbort?: boolean;
  /**
   * How long a new pod must be ready before it counts as available.
   * @default Duration.seconds(0)
   */
  readonly minReady?: Duration;
  /**
   * The labels the Rollout selects its pods by, and puts on them; keep a migrated Deployment's labels
   * here so that its Services, disruption budgets and monitors keep selecting the pods.
   * @default - { 'app.kubernetes.io/name': metadata.name }; with a `workloadRef`, none: the controller
   * takes the Deployment's `spec.selector` (rollout/templateref.go, SetResolvedSelector), and the
   * strategy's Services cannot be checked against pods whose labels are not known here
   */
  readonly selector?: Record<string, string>;
  /**
   * Run the pod template of an existing Deployment instead of containers of its own; give `selector`
   * the labels of that Deployment's pods.
   * @default - the Rollout's own containers
   */
  readonly workloadRef?: WorkloadRef;
}

/**
 * An Argo Rollouts Rollout: a Deployment replacement that releases new versions progressively.
 * It is a cdk8s-plus Workload, so containers, probes, security contexts, scheduling, Services and
 * autoscalers work as they do for a cdk8s-plus Deployment.
 */
export class Rollout extends kplus.Workload implements kplus.IScalable, StrategyTarget {
  public readonly resourceType = 'rollouts';
  /** How new versions replace old ones. */
  public readonly strategy: IRolloutStrategy;
  /** Desired pods as given; emitted as 3 when unset (see {@link RolloutProps.replicas}), and not at all once an autoscaler owns the count. */
  public readonly replicas?: number;
  public readonly revisionHistoryLimit: number;
  public readonly progressDeadline: Duration;
  public readonly progressDeadlineAbort: boolean;
  public readonly minReady: Duration;
  public readonly workloadRef?: WorkloadRef;
  public hasAutoscaler = false;
  /** Whether the selector (and so the pod labels) is the referenced Deployment's, not known here. */
  private readonly selectorFromDeployment: boolean;
  protected readonly apiObject: ro.Rollout;

  constructor(scope: Construct, id: string, props: RolloutProps) {
    requireFields(`${scope.node.path}/${id}`, props, ['metadata', 'strategy']);
    requireFields(`${scope.node.path}/${id}`, props.metadata, ['name']);
    super(scope, id, { ...props, select: false });
    this.strategy = props.strategy;
    this.replicas = props.replicas;
    this.revisionHistoryLimit = props.revisionHistoryLimit ?? 3;
    this.progressDeadline = props.progressDeadline ?? Duration.minutes(10);
    this.progressDeadlineAbort = props.progressDeadlineAbort ?? true;
    this.minReady = props.minReady ?? Duration.seconds(0);
    this.workloadRef = props.workloadRef;
    this.apiObject = new ro.Rollout(this, 'Resource', {
      metadata: props.metadata,
      spec: Lazy.any({ produce: () => this.toSpec() }),
    });
    for (const [key, value] of Object.entries(this.strategy.annotations)) this.apiObject.metadata.addAnnotation(key, value);
    if (this.replicas !== undefined && (!Number.isInteger(this.replicas) || this.replicas < 1)) {
      reportAt(this, 'replicas', this.replicas, 'must be an integer of at least 1', 'use at least 2 replicas so a PodDisruptionBudget can keep one up');
    }
    report(this, [...wholeSecondsProblems(this, 'progressDeadline', this.progressDeadline, 1), ...wholeSecondsProblems(this, 'minReady', this.minReady)]);
    if (seconds(this.progressDeadline) <= seconds(this.minReady)) {
      reportAt(this, 'progressDeadline', `${seconds(this.progressDeadline)}s`, `must be longer than minReady (${seconds(this.minReady)}s)`, 'raise progressDeadline or lower minReady');
    }
    // With a workloadRef and no selector, the controller resolves the Deployment's (rollout/templateref.go).
    this.selectorFromDeployment = this.workloadRef !== undefined && props.selector === undefined;
    const selector = this.selectorFromDeployment ? {} : props.selector ?? { [NAME_LABEL]: props.metadata.name };
    if (!this.selectorFromDeployment) this.select(kplus.LabelSelector.of({ labels: selector }));
    for (const [key, value] of Object.entries(selector)) this.podMetadata.addLabel(key, value);
    if (!this.selectorFromDeployment && Object.keys(selector).length === 0) {
      reportAt(this, 'selector', {}, 'an empty selector selects every pod of the namespace', 'give the labels of this rollout\'s pods, e.g. { app: \'api\' }');
    }
    this.node.addValidation({ validate: () => [...this.strategy.problems(this), ...this.podProblems()] });
    addSynthNotes(this, 'replica-based Rollouts whose canary share differs from their weights', () => this.strategy.notes(this));
  }

  /** The desired pods, or undefined when an autoscaler owns the count. */
  public get desiredReplicas(): number | undefined {
    return this.hasAutoscaler ? undefined : this.replicas ?? 3;
  }

  /** The labels of the Rollout's pods. */
  public get podLabels(): Record<string, string> {
    return this.podMetadata.toJson().labels ?? {};
  }

  /** Fields of other objects (routes, virtual services) the controller writes while releasing this Rollout. */
  public controllerOwnedFields(): ControllerOwnedField[] {
    return this.strategy.controllerOwnedFields();
  }

  /** Services and network policies select this Rollout's pods by its selector labels. */
  public override toPodSelectorConfig(): kplus.PodSelectorConfig {
    return { ...super.toPodSelectorConfig(), labelSelector: kplus.LabelSelector.of({ labels: this.matchLabels }) };
  }

  /** @see kplus.IScalable.markHasAutoscaler */
  public markHasAutoscaler(): void {
    this.hasAutoscaler = true;
  }

  /** @see kplus.IScalable.toScalingTarget */
  public toScalingTarget(): kplus.ScalingTarget {
    return {
      kind: this.apiObject.kind,
      apiVersion: this.apiObject.apiVersion,
      name: this.name,
      containers: this.containers,
      replicas: this.replicas,
    };
  }

  /**
   * The pod template's labels must include the selector's, every Service of the strategy must select
   * the pods, and no container may carry a literal environment value: values come from ConfigMaps and
   * Secrets, so no secret is ever written into `dist/`.
   */
  private podProblems(): string[] {
    const labels = this.podLabels;
    const problems: string[] = [];
    if (this.workloadRef && this.containers.length > 0) {
      problems.push(problemAt(this, 'containers', this.containers.map(c => c.name), 'must be empty with a workloadRef: the pod template comes from the deployment', `remove the containers, or the workloadRef to '${this.workloadRef.deploymentName}'`));
    }
    for (const label of unmatchedLabels(this.matchLabels, labels)) {
      problems.push(problemAt(this, 'selector.matchLabels', label, 'is not a label of the pod template, so the rollout would select no pods', 'add the label to the pod metadata'));
    }
    // The pods' labels are the Deployment's, which are not known here.
    for (const service of this.selectorFromDeployment ? [] : this.strategy.services) {
      const selector: Record<string, string> = ApiObject.of(service).toJson().spec?.selector ?? {};
      const unmatched = unmatchedLabels(selector, labels);
      if (Object.keys(selector).length === 0 || unmatched.length > 0) {
        problems.push(problemAt(this, `services[${service.name}].selector`, unmatched.join(',') || '(empty)', 'does not select the rollout\'s pods, so the service would get no endpoints', 'call service.select(rollout)'));
      }
    }
    for (const container of this.containers) {
      for (const [name, value] of Object.entries(container.env.variables)) {
        if (value.value !== undefined) {
          problems.push(problemAt(this, `containers[${container.name}].env.${name}`, '(literal value)', 'environment values must come from a configmap or secret, never a literal in dist/', 'use kplus.EnvValue.fromConfigMap(...) or kplus.EnvValue.fromSecretValue(...)'));
        }
      }
    }
    return problems;
  }

  private toSpec(): ro.RolloutSpec {
    const metadata = this.podMetadata.toJson();
    // cdk8s-plus labels every pod with its construct address; this Rollout selects by name instead.
    delete metadata.labels?.[kplus.Pod.ADDRESS_LABEL];
    return {
      replicas: this.desiredReplicas,
      revisionHistoryLimit: this.revisionHistoryLimit,
      progressDeadlineSeconds: seconds(this.progressDeadline),
      progressDeadlineAbort: this.progressDeadlineAbort,
      minReadySeconds: seconds(this.minReady),
      selector: this.selectorFromDeployment ? undefined : this._toLabelSelector(),
      // The controller fills the template in from the Deployment, and refuses one given here (pkg/apis/rollouts/validation/validation.go).
      template: this.workloadRef ? undefined : { metadata, spec: toCrdSpec<ro.RolloutSpecTemplateSpec>(this._toPodSpec()) },
      workloadRef: this.workloadRef && { apiVersion: 'apps/v1', kind: 'Deployment', name: this.workloadRef.deploymentName, scaleDown: this.workloadRef.scaleDown?.value },
      strategy: this.strategy._toStrategy(),
    };
  }
}
