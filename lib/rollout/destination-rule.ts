import { ApiObjectMetadata } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import * as istio from '../../imports/istio-networking.istio.io';

/** Properties of a {@link DestinationRule}. */
export interface DestinationRuleProps {
  /**
   * Metadata; give it an explicit `name`.
   * @default - a name derived from the construct path
   */
  readonly metadata?: ApiObjectMetadata;
  /** The Service selecting both stable and canary pods; its subsets split them. */
  readonly service: kplus.Service;
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
    this.service = props.service;
    const resource = new istio.DestinationRule(this, 'Resource', {
      metadata: props.metadata,
      spec: {
        host: props.service.name,
        subsets: [{ name: DestinationRule.STABLE_SUBSET }, { name: DestinationRule.CANARY_SUBSET }],
      },
    });
    this.name = resource.name;
  }
}
