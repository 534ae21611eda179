import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { OutputFolder } from '../lib/output';
import { RolloutNotifications } from '../lib/rollout';
import { EnvironmentDefinition, Fleet } from '../model';
import { Layout } from '../model/layout';

/** Properties of a {@link NotificationsChart}. */
export interface NotificationsChartProps {
  readonly fleet: Fleet;
  readonly environment: EnvironmentDefinition;
}

/**
 * The Argo Rollouts notifications configuration of one environment, in its namespace, written to the
 * folder the environment's notifications Application syncs: every canary's verdict is filed as an
 * issue of the infra repository.
 */
export class NotificationsChart extends Chart {
  public readonly environment: EnvironmentDefinition;
  public readonly notifications: RolloutNotifications;

  constructor(scope: Construct, id: string, props: NotificationsChartProps) {
    super(scope, id, {
      namespace: props.environment.namespace,
      labels: { 'app.kubernetes.io/part-of': props.fleet.name, 'app.kubernetes.io/managed-by': 'cdk8s' },
    });
    this.environment = props.environment;
    OutputFolder.mark(this, { path: Layout.rolloutNotifications(props.environment.name) });
    this.notifications = new RolloutNotifications(this, 'Notifications', {
      issuesUrl: props.fleet.verdictIssuesUrl, environment: props.environment.name, slackChannel: props.environment.slackChannel,
    });
  }
}
