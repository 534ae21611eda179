import { ApiObjectMetadata, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import * as pm from '../../imports/podmonitor-monitoring.coreos.com';
import { CANARY_HASH_LABEL } from '../analysis/presets';
import { report, reportAt } from '../errors/problem';
import { goDuration, wholeSecondsProblems } from '../private/durations';
import { POD_TEMPLATE_HASH_LABEL } from '../rollout/pod-labels';

/** Properties of a {@link PodMonitor}. */
export interface PodMonitorProps {
  /**
   * Metadata; give it an explicit `name`.
   * @default - a name derived from the construct path
   */
  readonly metadata?: ApiObjectMetadata;
  /** The workload whose pods are scraped; its selector labels are used. */
  readonly workload: kplus.Workload;
  /** The name of the container port serving metrics. */
  readonly portName: string;
  /**
   * The HTTP path of the metrics.
   * @default '/metrics'
   */
  readonly path?: string;
  /**
   * How often Prometheus scrapes. Analysis rate windows should span at least four scrapes.
   * @default Duration.seconds(15)
   */
  readonly interval?: Duration;
}

/**
 * A prometheus-operator PodMonitor scraping a workload's pods, so that the analysis has data. It
 * copies the `rollouts-pod-template-hash` pod label to the `rollouts_pod_template_hash` target label:
 * without it the app-metric queries cannot tell canary pods from stable ones, find no series, and
 * the fail-closed analysis aborts every release.
 */
export class PodMonitor extends Construct {
  /** The PodMonitor's `metadata.name`. */
  public readonly name: string;
  /** The scrape interval. */
  public readonly interval: Duration;

  constructor(scope: Construct, id: string, props: PodMonitorProps) {
    super(scope, id);
    this.interval = props.interval ?? Duration.seconds(15);
    report(this, wholeSecondsProblems(this, 'interval', this.interval, 1));
    // An empty selector selects every pod of the namespace, e.g. a Rollout with a workloadRef and no
    // selector, whose labels are the Deployment's and not known here (rollout/templateref.go).
    if (Object.keys(props.workload.matchLabels).length === 0) {
      reportAt(this, 'workload', props.workload.node.path, 'selects its pods by no label known here, so this would select every pod of the namespace',
        'give the workload a selector, e.g. the deployment\'s spec.selector.matchLabels for a rollout with a workloadRef');
    }
    const resource = new pm.PodMonitor(this, 'Resource', {
      metadata: props.metadata,
      spec: {
        selector: { matchLabels: props.workload.matchLabels },
        podMetricsEndpoints: [{
          port: props.portName,
          path: props.path ?? '/metrics',
          interval: goDuration(this.interval),
          relabelings: [{
            action: pm.PodMonitorSpecPodMetricsEndpointsRelabelingsAction.REPLACE,
            sourceLabels: [`__meta_kubernetes_pod_label_${POD_TEMPLATE_HASH_LABEL.replace(/-/g, '_')}`],
            targetLabel: CANARY_HASH_LABEL,
          }],
        }],
      },
    });
    this.name = resource.name;
  }
}
