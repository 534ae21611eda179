import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';

const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

/**
 * The order Argo CD applies an Application's objects in: configuration first, then what the
 * workload refers to (Services, AnalysisTemplates), then the workload, then what watches it.
 */
export class SyncWave {
  /** ConfigMaps, Secrets references, ServiceAccounts. */
  public static readonly CONFIG = new SyncWave(-1);
  /** Services, AnalysisTemplates, PodMonitors, routes: everything the Rollout refers to. */
  public static readonly REFERENCED = new SyncWave(0);
  /** The Rollout. */
  public static readonly WORKLOAD = new SyncWave(1);
  /** Objects that act on a running workload: autoscalers, disruption budgets. */
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
