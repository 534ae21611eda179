import { ApiObjectMetadata } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import * as istio from '../../imports/istio-networking.istio.io';
import { reportAt } from '../errors/problem';
import { requireFields } from '../private/required';
import { POD_TEMPLATE_HASH_LABEL } from './pod-labels';

/** Properties of a {@link DestinationRule}. */
export interface DestinationRuleProps {
  /**
   * Metadata; give it an explicit `name`.
   * @default - a name derived from the construct path
   */
  readonly metadata?: ApiObjectMetadata;
  /** The Service selecting both stable and canary pods; its subsets split them. */
  readonly service: kplus.Service;
  /**
   * Labels both subsets match besides the pod template hash the controller adds, e.g. `{ app: 'api' }`
   * as in the Argo Rollouts docs; the controller keeps them (rollout/trafficrouting/istio/istio.go, UpdateHash).
   * @default - none
   */
  readonly subsetLabels?: Record<string, string>;
}

/**
 * An Istio DestinationRule with a `stable` and a `canary` subset. Argo Rollouts adds the pod template
 * hash of each ReplicaSet to the subsets' labels, so a VirtualService can split one host by subset.
 */
export class DestinationRule extends Construct {
  /** The subset Argo Rollouts points at the stable ReplicaSet. */
  public static readonly STABLE_SUBSET = 'stable';
  /** The subset Argo Rollouts points at the canary ReplicaSet. */
  public static readonly CANARY_SUBSET = 'canary';

  /** The rule's `metadata.name`. */
  public readonly name: string;
  /** The Service whose host the subsets split. */
  public readonly service: kplus.Service;

  constructor(scope: Construct, id: string, props: DestinationRuleProps) {
    super(scope, id);
    requireFields(this.node.path, props, ['service']);
    this.service = props.service;
    const labels = props.subsetLabels;
    if (labels && POD_TEMPLATE_HASH_LABEL in labels) {
      reportAt(this, `subsetLabels.${POD_TEMPLATE_HASH_LABEL}`, labels[POD_TEMPLATE_HASH_LABEL], 'is the label the controller sets on each subset at run time', 'remove it');
    }
    const resource = new istio.DestinationRule(this, 'Resource', {
      metadata: props.metadata,
      spec: {
        host: props.service.name,
        subsets: [DestinationRule.STABLE_SUBSET, DestinationRule.CANARY_SUBSET].map(name => ({ name, labels })),
      },
    });
    this.name = resource.name;
  }
}
