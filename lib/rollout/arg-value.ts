import * as ro from '../../imports/rollout-argoproj.io';

/**
 * Paths the controller resolves for `fieldRef` args (utils/analysis/factory.go,
 * BuildArgumentsForRolloutAnalysisRun): `metadata.*` through the downward API's fieldpath, any other
 * path walked on the Rollout's JSON, split on `.`, `[` and `]` (extractValueFromRollout), e.g.
 * `status.alb.canaryTargetGroup.name` or `spec.template.metadata.labels.version`
 * (docs/features/analysis.md). Whether such a path ends in a value is known only at run time.
 */
const RESOLVABLE_FIELD = /^(metadata\.(name|namespace|uid|labels|annotations|labels\['[^']+'\]|annotations\['[^']+'\])|(spec|status)(\.[A-Za-z0-9_-]+|\[\d+\])+)$/;

/** What the controller knows when it resolves args: the Rollout and its ReplicaSets' hashes. */
export interface ArgContext {
  /** The Rollout's name. */
  readonly name: string;
  /** The Rollout's namespace. */
  readonly namespace: string;
  /** The canary ReplicaSet's pod template hash, if known. */
  readonly canaryHash?: string;
  /** The stable ReplicaSet's pod template hash, if known. */
  readonly stableHash?: string;
}

/**
 * Where a Rollout's analysis gets the value of a template arg. Secret values are not among these:
 * Argo Rollouts reads Secrets only in the template's own args (see `AnalysisArg.secretKeyRef`).
 */
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

  /**
   * A field of the Rollout: metadata, e.g. `metadata.namespace` or `metadata.labels['team']`, or a path
   * into its spec or status, e.g. `spec.template.metadata.labels.version`, which must end in a string,
   * number or boolean when the analysis starts, or the analysis run errors.
   */
  public static fieldRef(fieldPath: string): ArgValue {
    return new ArgValue({ valueFrom: { fieldRef: { fieldPath } } });
  }

  private constructor(private readonly source: Omit<ro.RolloutSpecStrategyCanaryStepsAnalysisArgs, 'name'>) {}

  /** What is wrong with this value, if anything. */
  public problem(): { value: string; rule: string; fix: string } | undefined {
    const fieldPath = this.source.valueFrom?.fieldRef?.fieldPath;
    if (fieldPath === undefined || RESOLVABLE_FIELD.test(fieldPath)) return undefined;
    return {
      value: fieldPath,
      rule: 'is not a field path the controller can resolve',
      fix: "use metadata.name, metadata.namespace, metadata.uid, metadata.labels['KEY'], metadata.annotations['KEY'], or a spec.* or status.* path such as spec.template.metadata.labels.version",
    };
  }

  /** The value the controller would pass, or undefined when `context` lacks it (e.g. a hash not given). */
  public resolve(context: ArgContext): string | undefined {
    const { value, valueFrom } = this.source;
    if (value !== undefined) return value;
    if (valueFrom?.podTemplateHashValue === 'Latest') return context.canaryHash;
    if (valueFrom?.podTemplateHashValue === 'Stable') return context.stableHash;
    const fieldPath = valueFrom?.fieldRef?.fieldPath;
    if (fieldPath === 'metadata.name') return context.name;
    if (fieldPath === 'metadata.namespace') return context.namespace;
    return undefined;
  }

  /**
   * The arg entry of an analysis.
   * @internal
   */
  public _toArg(name: string): ro.RolloutSpecStrategyCanaryStepsAnalysisArgs {
    return { name, ...this.source };
  }
}
