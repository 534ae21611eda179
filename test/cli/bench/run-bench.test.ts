import { runBench } from '../../../cli/bench/run-bench';

describe('runBench', () => {
  test('GIVEN a small fleet WHEN benchmarked THEN the JSON fields are filled and kustomize renders the same objects', () => {
    const { result, differences } = runBench({ services: 4, envs: 2 });
    expect(differences).toEqual([]);
    expect(Object.keys(result)).toEqual(['services', 'envs', 'documents', 'bytes', 'wall_s', 'peak_rss_mb', 'floor_s', 'kustomize_s']);
    expect(result).toMatchObject({ services: 4, envs: 2 });
    // Per service and environment: Rollout, 3 Services, AnalysisTemplate, PDB, PodMonitor, ConfigMap, a router object on 3 of 4, an HPA on 1 of 3 in the last.
    expect(result.documents).toBeGreaterThan(4 * 2 * 8);
    expect(result.wall_s).toBeGreaterThan(0);
    expect(result.floor_s).toBeGreaterThan(0);
    expect(result.kustomize_s).toBeGreaterThan(0);
  });

  test('GIVEN --no-kustomize WHEN benchmarked THEN kustomize_s is null', () => {
    expect(runBench({ services: 1, envs: 1, kustomize: false }).result.kustomize_s).toBeNull();
  });
});
