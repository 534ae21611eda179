import { Duration } from 'cdk8s';
import { resolveSettings } from '../../../lib/fleet/service-settings';

describe('resolveSettings', () => {
  test('GIVEN no layers WHEN resolved THEN the built-in defaults apply', () => {
    const settings = resolveSettings();
    expect(settings.replicas).toBe(3);
    expect(settings.canaryWeights).toEqual([10, 50]);
    expect(settings.minSuccessRate).toBe(0.99);
    expect(settings.analysisInterval.toSeconds()).toBe(60);
  });

  test('GIVEN layers WHEN resolved THEN later layers win field by field and undefined fields do not erase', () => {
    const settings = resolveSettings({ replicas: 2, analysisCount: 3 }, { replicas: undefined, analysisInterval: Duration.seconds(30) }, { replicas: 5 });
    expect(settings.replicas).toBe(5);
    expect(settings.analysisCount).toBe(3);
    expect(settings.analysisInterval.toSeconds()).toBe(30);
  });
});
