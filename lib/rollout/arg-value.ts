import * as ro from '../../imports/rollout-argoproj.io';

/** Where an analysis step gets the value of a template arg. */
export class ArgValue {
  /** A literal value. */
  public static of(value: string): ArgValue {
    return new ArgValue({ value });
  }

  /** The pod template hash of the canary (newest) ReplicaSet; scopes queries to canary pods. */
  public static canaryPodTemplateHash(): ArgValue {
    return new ArgValue({ valueFrom: { podTemplateHashValue: 'Latest' } });
  }

  /** The pod template hash of the stable ReplicaSet. */
  public static stablePodTemplateHash(): ArgValue {
    return new ArgValue({ valueFrom: { podTemplateHashValue: 'Stable' } });
  }

  /** A field of the Rollout object, e.g. `metadata.namespace` or `metadata.labels['team']`. */
  public static fieldRef(fieldPath: string): ArgValue {
    return new ArgValue({ valueFrom: { fieldRef: { fieldPath } } });
  }

  private constructor(private readonly source: Omit<ro.RolloutSpecStrategyCanaryStepsAnalysisArgs, 'name'>) {}

  /** The arg entry of an analysis step. */
  public toArg(name: string): ro.RolloutSpecStrategyCanaryStepsAnalysisArgs {
    return { name, ...this.source };
  }
}
