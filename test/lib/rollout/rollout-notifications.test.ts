import { Chart, Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { INCONCLUSIVE_PAUSE_REASON, RolloutNotifications, VERDICT_ISSUE_MARKER, VERDICT_TRIGGERS } from '../../../lib/rollout';
import { renderGoTemplate } from '../../go-template';

/** argo-rollouts v1.9.1 utils/record/record.go, translateReasonToTrigger: the only trigger name an event reason fires. */
function triggerOf(reason: string): string {
  return `on-${reason.replace(/(.)([A-Z][a-z]+)/g, '$1-$2').replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()}`;
}

const IMAGE = `ghcr.io/acme/api@sha256:${'a'.repeat(64)}`;

describe('RolloutNotifications', () => {
  const chart = Testing.chart();
  new RolloutNotifications(chart, 'Notifications', { issuesUrl: 'https://forgejo.example.com/api/v1/repos/platform/infra/issues', environment: 'staging' });
  const [configMap] = Testing.synth(chart);
  const data = configMap.data as Record<string, string>;

  test('GIVEN the notifications WHEN synthesized THEN the ConfigMap has the name the controller reads, a webhook to the issues API and the token only as a secret reference', () => {
    expect(configMap.metadata.name).toBe('argo-rollouts-notification-configmap');
    expect(YAML.parse(data['service.webhook.infra-verdicts'])).toEqual({
      url: 'https://forgejo.example.com/api/v1/repos/platform/infra/issues',
      headers: [{ name: 'Authorization', value: 'token $verdict-token' }, { name: 'Content-Type', value: 'application/json' }],
    });
    expect(Object.keys(data).sort()).toEqual([
      'service.webhook.infra-verdicts', 'template.infra-verdicts-aborted', 'template.infra-verdicts-completed', 'template.infra-verdicts-inconclusive',
      'trigger.on-rollout-aborted', 'trigger.on-rollout-completed', 'trigger.on-rollout-paused',
    ]);
  });

  test('GIVEN the controller\'s event reasons WHEN turned into trigger names THEN they are the triggers configured', () => {
    expect(Object.values(VERDICT_TRIGGERS)).toEqual(['RolloutCompleted', 'RolloutAborted', 'RolloutPaused'].map(triggerOf));
    expect(YAML.parse(data['trigger.on-rollout-aborted'])).toEqual([{ send: ['infra-verdicts-aborted'] }]);
    expect(YAML.parse(data['trigger.on-rollout-paused'])).toEqual([{
      when: `rollout.status.pauseConditions != nil && any(rollout.status.pauseConditions, {.reason == '${INCONCLUSIVE_PAUSE_REASON}'})`,
      send: ['infra-verdicts-inconclusive'],
    }]);
    expect(INCONCLUSIVE_PAUSE_REASON).toBe('InconclusiveAnalysisRun');
  });

  test('GIVEN an aborted Rollout and its AnalysisRuns WHEN the template is rendered as text/template would THEN it is a Forgejo issue whose body holds the verdict', () => {
    const body = YAML.parse(data['template.infra-verdicts-aborted']).webhook['infra-verdicts'];
    expect(body.method).toBe('POST');
    const rendered = JSON.parse(renderGoTemplate(body.body, {
      rollout: { metadata: { name: 'api' }, spec: { template: { spec: { containers: [{ name: 'api', image: IMAGE }] } } } },
      analysisRuns: [{
        metadata: { name: 'api-6d9f7c-2' },
        status: { phase: 'Failed', metricResults: [{ name: 'success-rate', phase: 'Failed', measurements: [{ value: '[0.99]' }, { value: '[0.81]' }] }] },
      }],
    }));
    expect(rendered.title).toBe('verdict: api aborted in staging');
    expect(rendered.body.split('\n')).toEqual([
      VERDICT_ISSUE_MARKER, 'environment: staging', 'service: api', 'verdict: aborted', `image: ${IMAGE} `,
      'analysis-run: api-6d9f7c-2 Failed', 'metric: success-rate Failed |[0.99]|[0.81]', '',
    ]);
  });

  test('GIVEN a Rollout WHEN subscribed THEN one annotation per verdict trigger names the service with no recipient', () => {
    expect(RolloutNotifications.subscriptions()).toEqual({
      'notifications.argoproj.io/subscribe.on-rollout-completed.infra-verdicts': '',
      'notifications.argoproj.io/subscribe.on-rollout-aborted.infra-verdicts': '',
      'notifications.argoproj.io/subscribe.on-rollout-paused.infra-verdicts': '',
    });
    expect(Object.keys(RolloutNotifications.subscriptions('chat'))[0]).toBe('notifications.argoproj.io/subscribe.on-rollout-completed.chat');
  });

  test('GIVEN another token key and service name WHEN synthesized THEN both are used', () => {
    const other = Testing.chart();
    new RolloutNotifications(other, 'N', { issuesUrl: 'https://h/api/v1/repos/o/r/issues', environment: 'qa', tokenKey: 'forgejo', serviceName: 'filer' });
    const [map] = Testing.synth(other as Chart);
    expect(YAML.parse(map.data['service.webhook.filer']).headers[0]).toEqual({ name: 'Authorization', value: 'token $forgejo' });
    expect(map.data['template.filer-completed']).toContain('filer:');
  });

  test('GIVEN a Slack channel WHEN synthesized and subscribed THEN people are told of aborts and inconclusive pauses, not of completions', () => {
    const told = Testing.chart();
    new RolloutNotifications(told, 'N', { issuesUrl: 'https://h/api/v1/repos/o/r/issues', environment: 'production', slackChannel: 'shop-releases' });
    const [map] = Testing.synth(told as Chart);
    expect(YAML.parse(map.data['service.slack'])).toEqual({ token: '$slack-token' });
    expect(YAML.parse(map.data['template.infra-verdicts-aborted']).message)
      .toBe('The canary of {{.rollout.metadata.name}} in production aborted: traffic is back on the stable version, and the infra repo reverts its pin.');
    expect(YAML.parse(map.data['template.infra-verdicts-inconclusive']).message).toContain('paused: its analysis had too little data to judge');
    expect(YAML.parse(map.data['template.infra-verdicts-completed']).message).toBeUndefined();
    expect(RolloutNotifications.subscriptions(undefined, 'shop-releases')).toMatchObject({
      'notifications.argoproj.io/subscribe.on-rollout-aborted.slack': 'shop-releases',
      'notifications.argoproj.io/subscribe.on-rollout-paused.slack': 'shop-releases',
    });
    expect(Object.keys(RolloutNotifications.subscriptions(undefined, 'shop-releases'))).not.toContain('notifications.argoproj.io/subscribe.on-rollout-completed.slack');
  });
});
