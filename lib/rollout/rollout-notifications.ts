import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import * as YAML from 'yaml';

/** What a canary ended as, as the verdict notifications say it. */
export type CanaryVerdict = 'completed' | 'aborted' | 'inconclusive';

/**
 * The Argo Rollouts notification triggers that carry a canary's verdict, by verdict. A trigger fires
 * only under the name `on-` + the kebab-cased event reason (argo-rollouts v1.9.1
 * utils/record/record.go, `translateReasonToTrigger`): `RolloutCompleted` and `RolloutAborted`
 * (rollout/sync.go), and `RolloutPaused` (rollout/sync.go `sendStateChangeEvents`), which every
 * pause sends, so the inconclusive one is told apart by its pause condition.
 */
export const VERDICT_TRIGGERS: Readonly<Record<CanaryVerdict, string>> = {
  completed: 'on-rollout-completed',
  aborted: 'on-rollout-aborted',
  inconclusive: 'on-rollout-paused',
};

/**
 * The pause condition an inconclusive AnalysisRun sets (argo-rollouts v1.9.1
 * pkg/apis/rollouts/v1alpha1/types.go, `PauseReasonInconclusiveAnalysis = "InconclusiveAnalysisRun"`;
 * not `InconclusiveAnalysis`, as issue #26 had it).
 */
export const INCONCLUSIVE_PAUSE_REASON = 'InconclusiveAnalysisRun';

/** The first line of every verdict issue's body: what tells a verdict request from any other issue. */
export const VERDICT_ISSUE_MARKER = '<!-- infra-delivery verdict v1 -->';

/** Properties of {@link RolloutNotifications}. */
export interface RolloutNotificationsProps {
  /**
   * The URL the webhook POSTs each verdict to: the Forgejo issues API of the infra repository,
   * `https://HOST/api/v1/repos/OWNER/REPO/issues` (Forgejo routers/api/v1/api.go, `CreateIssue`).
   */
  readonly issuesUrl: string;
  /** The environment the Rollouts of this namespace run in, written into every verdict. */
  readonly environment: string;
  /**
   * The key of the token in the Secret `argo-rollouts-notification-secret` of the same namespace:
   * a Forgejo token with the scope `write:issue` only, which can file a request and nothing else.
   * @default 'verdict-token'
   */
  readonly tokenKey?: string;
  /**
   * The name of the webhook service, in the subscription annotations.
   * @default 'infra-verdicts'
   */
  readonly serviceName?: string;
  /**
   * A Slack channel told when a canary aborts or pauses on an inconclusive analysis, through the
   * engine's Slack service (notifications-engine v0.5.0 pkg/services/slack.go), whose bot token is the
   * key `slack-token` of the same Secret.
   * @default - nobody is told but the infra repository
   */
  readonly slackChannel?: string;
}

const DEFAULT_SERVICE = 'infra-verdicts';
/** The verdicts people are told of: the ones that need someone to look. */
const TOLD: readonly CanaryVerdict[] = ['aborted', 'inconclusive'];

/**
 * The Argo Rollouts notifications configuration of one namespace that sends every canary's verdict
 * (completed, aborted, paused on an inconclusive analysis) to the infra repository as a Forgejo
 * issue: the ConfigMap `argo-rollouts-notification-configmap` with a webhook service, a template per
 * verdict and the three triggers. The controller reads it from the Rollout's own namespace only when
 * it runs with `--self-service-notification-enabled` (argo-rollouts v1.9.1
 * cmd/rollouts-controller/main.go; then in addition to its own namespace's configuration,
 * notifications-engine v0.5.0 pkg/api/factory.go `GetAPIsFromNamespace`), so two environments on one
 * cluster, each in its own namespace, never share one. The token comes from the Secret
 * `argo-rollouts-notification-secret` of the same namespace, never from this object.
 */
export class RolloutNotifications extends Construct {
  /** The ConfigMap's name, fixed by the controller (argo-rollouts v1.9.1 utils/record/record.go, `NotificationConfigMap`). */
  public static readonly CONFIG_MAP_NAME = 'argo-rollouts-notification-configmap';
  /** The Secret the `$key`s of the services are read from (utils/record/record.go, `NotificationSecret`). */
  public static readonly SECRET_NAME = 'argo-rollouts-notification-secret';

  /**
   * The annotations that subscribe a Rollout to every verdict trigger of the service:
   * `notifications.argoproj.io/subscribe.<trigger>.<service>` with an empty recipient, as a webhook
   * takes none (notifications-engine v0.5.0 pkg/subscriptions/annotations.go).
   */
  public static subscriptions(serviceName: string = DEFAULT_SERVICE, slackChannel?: string): Record<string, string> {
    const people = slackChannel === undefined ? [] : TOLD.map(verdict => [`notifications.argoproj.io/subscribe.${VERDICT_TRIGGERS[verdict]}.slack`, slackChannel]);
    return Object.fromEntries([...Object.values(VERDICT_TRIGGERS).map(trigger => [`notifications.argoproj.io/subscribe.${trigger}.${serviceName}`, '']), ...people]);
  }

  /** What people read of a verdict: the Slack service sends a template's `message` (pkg/services/slack.go). */
  public static message(environment: string, verdict: CanaryVerdict): string {
    const what = verdict === 'aborted' ? 'aborted: traffic is back on the stable version, and the infra repo reverts its pin'
      : 'paused: its analysis had too little data to judge; promote or abort it by hand';
    return `The canary of {{.rollout.metadata.name}} in ${environment} ${what}.`;
  }

  /**
   * The body a verdict's template sends: a Forgejo `CreateIssueOption` (title, body) whose body holds
   * the verdict as lines. A Go text/template (notifications-engine v0.5.0 pkg/templates/service.go)
   * reading only the variables argo-rollouts sets (utils/record/record.go, `NewAPIFactorySettings`):
   * `.rollout` (the Rollout as JSON: its name is the service, its containers the canary's image) and
   * `.analysisRuns` (the runs of the canary's revision, newest first, as JSON: name, phase, and each
   * metric's name, phase and measured values). Every value it writes is a name, a phase, an image
   * or a measured value, none of which holds a quote, so the body is valid JSON.
   */
  public static issueTemplate(environment: string, verdict: CanaryVerdict): string {
    const lines = [
      VERDICT_ISSUE_MARKER,
      `environment: ${environment}`,
      'service: {{.rollout.metadata.name}}',
      `verdict: ${verdict}`,
      'image: {{range .rollout.spec.template.spec.containers}}{{.image}} {{end}}',
      '{{range .analysisRuns}}analysis-run: {{.metadata.name}} {{.status.phase}}\\n'
        + '{{range .status.metricResults}}metric: {{.name}} {{.phase}} {{range .measurements}}|{{.value}}{{end}}\\n{{end}}{{end}}',
    ];
    return `{"title": "verdict: {{.rollout.metadata.name}} ${verdict} in ${environment}", "body": "${lines.join('\\n')}"}`;
  }

  /** The ConfigMap. */
  public readonly configMap: kplus.ConfigMap;

  constructor(scope: Construct, id: string, props: RolloutNotificationsProps) {
    super(scope, id);
    const service = props.serviceName ?? DEFAULT_SERVICE;
    const yaml = (value: unknown) => YAML.stringify(value, { lineWidth: 0 });
    const template = (verdict: CanaryVerdict) => `${service}-${verdict}`;
    const data: Record<string, string> = {
      // `$verdict-token` is replaced from the Secret in service entries only (notifications-engine v0.5.0
      // pkg/api/config.go, `replaceStringSecret`); the webhook's options: pkg/services/webhook.go `WebhookOptions`.
      [`service.webhook.${service}`]: yaml({
        url: props.issuesUrl,
        headers: [{ name: 'Authorization', value: `token $${props.tokenKey ?? 'verdict-token'}` }, { name: 'Content-Type', value: 'application/json' }],
      }),
    };
    for (const verdict of Object.keys(VERDICT_TRIGGERS) as CanaryVerdict[]) {
      // The webhook part of a template, keyed by the service's name (pkg/services/webhook.go, `WebhookNotification`).
      const toldOf = props.slackChannel !== undefined && TOLD.includes(verdict);
      const message = toldOf ? { message: RolloutNotifications.message(props.environment, verdict) } : {};
      data[`template.${template(verdict)}`] = yaml({ ...message, webhook: { [service]: { method: 'POST', body: RolloutNotifications.issueTemplate(props.environment, verdict) } } });
    }
    if (props.slackChannel !== undefined) data['service.slack'] = yaml({ token: '$slack-token' });
    data[`trigger.${VERDICT_TRIGGERS.completed}`] = yaml([{ send: [template('completed')] }]);
    data[`trigger.${VERDICT_TRIGGERS.aborted}`] = yaml([{ send: [template('aborted')] }]);
    // An expr-lang condition on the Rollout as JSON (notifications-engine v0.5.0 pkg/triggers/service.go).
    data[`trigger.${VERDICT_TRIGGERS.inconclusive}`] = yaml([{
      when: `rollout.status.pauseConditions != nil && any(rollout.status.pauseConditions, {.reason == '${INCONCLUSIVE_PAUSE_REASON}'})`,
      send: [template('inconclusive')],
    }]);
    this.configMap = new kplus.ConfigMap(this, 'Resource', { metadata: { name: RolloutNotifications.CONFIG_MAP_NAME }, data });
  }
}
