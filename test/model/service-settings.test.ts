import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { resolveSettings } from '../../model';

describe('resolveSettings', () => {
  test('GIVEN no layers WHEN resolved THEN the built-in defaults apply', () => {
    const settings = resolveSettings();
    expect(settings.replicas).toBe(3);
    expect(settings.canaryWeights).toEqual([10, 50]);
    expect(settings.minSuccessRate).toBe(0.99);
    expect(settings.analysisInterval.toSeconds()).toBe(30);
  });

  test('GIVEN layers WHEN resolved THEN later layers win field by field and undefined fields do not erase', () => {
    const settings = resolveSettings(
      { replicas: 2, analysisCount: 3 },
      { replicas: undefined, analysisInterval: Duration.seconds(30) },
      { replicas: 5 },
    );
    expect(settings.replicas).toBe(5);
    expect(settings.analysisCount).toBe(3);
    expect(settings.analysisInterval.toSeconds()).toBe(30);
  });

  test('GIVEN autoscaling in two layers WHEN resolved THEN its fields merge, and the autoscaler\'s own defaults are filled in once', () => {
    expect(resolveSettings({ autoscaling: { maxReplicas: 10 } }).autoscaling).toEqual({ minReplicas: 2, maxReplicas: 10, cpuUtilizationPercent: 70 });
    expect(resolveSettings({ autoscaling: { maxReplicas: 10, minReplicas: 4 } }, { autoscaling: { maxReplicas: 20 } }).autoscaling)
      .toEqual({ minReplicas: 4, maxReplicas: 20, cpuUtilizationPercent: 70 });
    expect(resolveSettings({ replicas: 2 }).autoscaling).toBeUndefined();
  });

  test('GIVEN only a cpu limit in a layer WHEN resolved THEN the default cpu request and the memory request and limit stay', () => {
    const { resources } = resolveSettings({ resources: { cpu: { limit: kplus.Cpu.millis(500) } } });
    expect(resources.cpu?.request?.amount).toBe('100m');
    expect(resources.cpu?.limit?.amount).toBe('500m');
    expect(resources.memory?.request?.toMebibytes()).toBe(256);
    expect(resources.memory?.limit?.toMebibytes()).toBe(256);
    expect(resolveSettings({ resources: { memory: { limit: Size.mebibytes(512) } } }).resources.memory?.request?.toMebibytes()).toBe(256);
  });

  test('GIVEN config and its notSecret in one layer WHEN a later layer replaces the config THEN the opt-outs go with the config they were written for', () => {
    const issuer = { config: { TOKEN_ISSUER_URL: 'https://auth.example.com/' }, notSecret: { TOKEN_ISSUER_URL: 'the issuer url, public' } };
    expect(resolveSettings(issuer, { replicas: 4 }).notSecret).toEqual(issuer.notSecret);
    expect(resolveSettings(issuer, { config: { LOG_LEVEL: 'debug' } })).toMatchObject({ config: { LOG_LEVEL: 'debug' }, notSecret: {} });
    expect(resolveSettings().notSecret).toEqual({});
  });

  test('GIVEN a mesh scraped every 30 s in one environment WHEN resolved THEN the scrape intervals pass through to the pattern, unset elsewhere', () => {
    const settings = resolveSettings({ routerScrapeInterval: Duration.seconds(30) }, { scrapeInterval: Duration.seconds(15) });
    expect([settings.routerScrapeInterval?.toSeconds(), settings.scrapeInterval?.toSeconds()]).toEqual([30, 15]);
    expect(resolveSettings().routerScrapeInterval).toBeUndefined();
  });
});
