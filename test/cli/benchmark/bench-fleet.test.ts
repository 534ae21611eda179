import { benchFleet } from '../../../cli/benchmark/bench-fleet';

describe('benchFleet', () => {
  test('GIVEN N and E WHEN generated THEN every service is pinned in every environment, with every routing style in turn', () => {
    const { fleet, pins } = benchFleet(8, 3);
    expect(fleet.services).toHaveLength(8);
    expect(fleet.environments.map(e => e.name)).toEqual(['env-0', 'env-1', 'env-2']);
    expect(fleet.deployments(pins)).toHaveLength(24);
    expect(fleet.services.map(s => s.settings!.routing!.name)).toEqual(['replicas', 'gateway-api', 'istio', 'nginx', 'replicas', 'gateway-api', 'istio', 'nginx']);
    expect(fleet.services.filter(s => s.settings!.maxLatency)).toHaveLength(4);
    expect(pins.get('env-2', 'svc-0003')!.toString()).toMatch(/^ghcr.io\/acme\/svc-0003@sha256:[0-9a-f]{64}$/);
  });
});
