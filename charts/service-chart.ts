import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { OutputFolder } from '../lib/output';
import { CanaryService } from '../lib/patterns';
import { RolloutNotifications } from '../lib/rollout';
import { Fleet, ServiceDeployment } from '../model';
import { Layout } from '../model/layout';

/** Properties of a {@link ServiceChart}. */
export interface ServiceChartProps {
  readonly fleet: Fleet;
  /** The service and environment this chart deploys. */
  readonly deployment: ServiceDeployment;
}

/**
 * One service in one environment: the fleet's resolved settings mapped onto a {@link CanaryService},
 * in the environment's namespace, written to the folder the service's Application syncs.
 */
export class ServiceChart extends Chart {
  public readonly deployment: ServiceDeployment;
  public readonly service: CanaryService;

  constructor(scope: Construct, id: string, props: ServiceChartProps) {
    const { service, environment, image, settings } = props.deployment;
    super(scope, id, {
      namespace: environment.namespace,
      labels: { 'app.kubernetes.io/part-of': props.fleet.name, 'app.kubernetes.io/managed-by': 'cdk8s' },
    });
    this.deployment = props.deployment;
    OutputFolder.mark(this, { path: Layout.service(environment.name, service.name) });
    this.service = new CanaryService(this, 'Service', {
      name: service.name,
      image,
      port: service.port,
      readinessPath: service.readinessPath,
      prometheusAddress: environment.prometheusAddress,
      ...settings,
    });
    // Every canary's verdict leaves the cluster through the environment's notifications (charts/notifications-chart.ts).
    const subscriptions = RolloutNotifications.subscriptions(undefined, environment.slackChannel);
    for (const [key, value] of Object.entries(subscriptions)) this.service.rollout.metadata.addAnnotation(key, value);
  }
}
