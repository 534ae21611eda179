import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';

const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

/**
 * The order Argo CD applies an Application's objects in: what the workload refers to (Services,
 * AnalysisTemplates, its disruption budget) first, then the workload, then what acts on it.
 */
export class SyncWave {
  /** Services, AnalysisTemplates, disruption budgets: everything the Rollout refers to or needs in place. */
  public static readonly REFERENCED = new SyncWave(0);
  /** The Rollout. */
  public static readonly WORKLOAD = new SyncWave(1);
  /** Objects that act on a running workload: autoscalers. */
  public static readonly AFTER_WORKLOAD = new SyncWave(2);

  private constructor(
    /** The wave number written to the annotation. */
    public readonly wave: number,
  ) {}

  /** Annotates every ApiObject under `scope` with this wave. */
  public applyTo(scope: IConstruct): void {
    for (const child of scope.node.findAll()) {
      if (ApiObject.isApiObject(child)) {
        child.metadata.addAnnotation(SYNC_WAVE_ANNOTATION, String(this.wave));
      }
    }
  }
}
