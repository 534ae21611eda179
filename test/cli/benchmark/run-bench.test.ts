import { runBench } from '../../../cli/benchmark/run-bench';
import { ROOT } from '../../helpers';

describe('runBench', () => {
  test('GIVEN a small fleet WHEN benchmarked THEN the JSON fields are filled and kustomize renders the same objects', () => {
    const { result, differences } = runBench({ repoRoot: ROOT, services: 4, envs: 2 });
    expect(differences).toEqual([]);
    expect(Object.keys(result)).toEqual([
      'services', 'envs', 'documents', 'bytes', 'wall_s', 'peak_rss_mb', 'floor_s', 'json_floor_s', 'kustomize_s', 'kustomize_ratio', 'release_s', 'release_files_written',
    ]);
    expect(result).toMatchObject({ services: 4, envs: 2 });
    // Per service and environment: Rollout, 3 Services, AnalysisTemplate, PDB, PodMonitor, ConfigMap, a router object on 3 of 4, an HPA on 1 of 3 in the last.
    expect(result.documents).toBeGreaterThan(4 * 2 * 8);
    expect(result.wall_s).toBeGreaterThan(0);
    expect(result.floor_s).toBeGreaterThan(0);
    expect(result.kustomize_s).toBeGreaterThan(0);
    expect(result.json_floor_s).toBeGreaterThan(0);
    expect(result.kustomize_ratio).toBeCloseTo(result.kustomize_s! / result.wall_s, 1);
    // A release writes its Rollout and its pin, and links every other file.
    expect(result.release_s).toBeGreaterThan(0);
    expect(result.release_files_written).toBe(2);
  });

  test('GIVEN --no-kustomize and two runs WHEN benchmarked THEN kustomize_s and its ratio are null, and each phase is reported as it starts', () => {
    const said: string[] = [];
    const { result } = runBench({ repoRoot: ROOT, services: 1, envs: 1, kustomize: false, runs: 2, progress: m => said.push(m) });
    expect([result.kustomize_s, result.kustomize_ratio]).toEqual([null, null]);
    expect(said).toEqual(['bench: synthesizing 1 × 1, run 1 of 2…', 'bench: synthesizing 1 × 1, run 2 of 2…', 'bench: the yaml and json floors and the releases…']);
  });
});
