import { ApiObjectMetadata } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { reportAt } from '../errors/problem';

/** Properties of a {@link PodDisruptionBudget}. */
export interface PodDisruptionBudgetProps {
  /**
   * Metadata; give it an explicit `name`.
   * @default - a name derived from the construct path
   */
  readonly metadata?: ApiObjectMetadata;
  /** The workload whose pods the budget protects; its selector labels are used. */
  readonly workload: kplus.Workload;
  /**
   * Pods that voluntary disruptions (node drains, cluster upgrades) may take down at once.
   * @default 1
   */
  readonly maxUnavailable?: number;
}

/**
 * A PodDisruptionBudget, so that draining nodes never takes down more pods of a service than it
 * can spare. cdk8s-plus has no L2 for this kind, so this wraps the core L1.
 */
export class PodDisruptionBudget extends Construct {
  /** The budget's `metadata.name`. */
  public readonly name: string;
  public readonly maxUnavailable: number;

  constructor(scope: Construct, id: string, props: PodDisruptionBudgetProps) {
    super(scope, id);
    this.maxUnavailable = props.maxUnavailable ?? 1;
    if (!Number.isInteger(this.maxUnavailable) || this.maxUnavailable < 1) {
      reportAt(this, 'maxUnavailable', this.maxUnavailable, 'must be an integer of at least 1, or nodes can never be drained', 'set maxUnavailable to 1');
    }
    // An empty selector selects every pod of the namespace, e.g. a Rollout with a workloadRef and no
    // selector, whose labels are the Deployment's and not known here (rollout/templateref.go).
    if (Object.keys(props.workload.matchLabels).length === 0) {
      reportAt(this, 'workload', props.workload.node.path, 'selects its pods by no label known here, so this would select every pod of the namespace',
        'give the workload a selector, e.g. the deployment\'s spec.selector.matchLabels for a rollout with a workloadRef');
    }
    const resource = new kplus.k8s.KubePodDisruptionBudget(this, 'Resource', {
      metadata: props.metadata,
      spec: {
        maxUnavailable: kplus.k8s.IntOrString.fromNumber(this.maxUnavailable),
        selector: { matchLabels: props.workload.matchLabels },
      },
    });
    this.name = resource.name;
  }
}
