import { buildDeploymentsApp, buildFleetApp } from '../../charts/fleet-app';
import { benchFleet } from '../../cli/bench/bench-fleet';

describe('buildDeploymentsApp', () => {
  const { fleet, pins } = benchFleet(3, 2);

  test('GIVEN some deployments, out of order WHEN built THEN their charts come in fleet order with the construct paths of the whole app', () => {
    const app = buildDeploymentsApp(fleet, pins, [{ environment: 'env-1', service: 'svc-0000' }, { environment: 'env-0', service: 'svc-0002' }])!;
    expect(app.node.children.map(c => c.node.id)).toEqual(['env-0-svc-0002', 'env-1-svc-0000']);
    const whole = buildFleetApp(fleet, pins).app;
    const paths = (root: typeof app, chart: string) => root.node.findChild(chart).node.findAll().map(c => c.node.path);
    expect(paths(app, 'env-1-svc-0000')).toEqual(paths(whole, 'env-1-svc-0000'));
  });

  test('GIVEN a deployment these pins do not hold WHEN built THEN there is no app', () => {
    expect(buildDeploymentsApp(fleet, pins, [{ environment: 'env-0', service: 'svc-0000' }, { environment: 'env-9', service: 'svc-0000' }])).toBeUndefined();
  });
});
