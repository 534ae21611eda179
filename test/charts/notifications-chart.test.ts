import { App, Testing } from 'cdk8s';
import { NotificationsChart } from '../../charts/notifications-chart';
import { OutputFolder } from '../../lib/output';
import { fleet } from '../fixtures/fleet';

describe('NotificationsChart', () => {
  test('GIVEN production WHEN synthesized THEN one notifications ConfigMap in its namespace files verdicts at the infra repository\'s issues, written to its own folder', () => {
    const chart = new NotificationsChart(new App(), 'production-notifications', { fleet, environment: fleet.environment('production') });
    const [configMap, ...others] = Testing.synth(chart);
    expect(others).toEqual([]);
    expect(OutputFolder.of(chart)).toEqual({ path: 'dist/argocd/production/notifications' });
    expect(configMap.metadata).toMatchObject({ name: 'argo-rollouts-notification-configmap', namespace: 'shop' });
    expect(configMap.data['service.webhook.infra-verdicts']).toContain('url: https://forgejo.example.com/api/v1/repos/platform/infra/issues');
    expect(configMap.data['template.infra-verdicts-aborted']).toContain('environment: production');
  });
});
