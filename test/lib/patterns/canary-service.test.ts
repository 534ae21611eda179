import { Chart, Duration, Testing } from 'cdk8s';
import { longestRangeSeconds } from '../../../lib/analysis';
import { validationProblems } from '../../../lib/errors';
import { CANARY_SERVICE_DEFAULTS, CanaryService, CanaryServiceProps, canaryServiceSettingProblems, Routing } from '../../../lib/patterns';
import { ImageRef } from '../../../lib/workload';

const IMAGE = ImageRef.parse(`ghcr.io/acme/api:1.4.2@sha256:${'a'.repeat(64)}`, 'test');

/** A canary service in its own chart, with nothing but `props`. */
function canaryService(props: Partial<CanaryServiceProps> = {}) {
  const app = Testing.app();
  const chart = new Chart(app, 'test', { namespace: 'shop' });
  const service = new CanaryService(chart, 'Api', { name: 'api', image: IMAGE, port: 8000, ...props });
  const objects = Testing.synth(chart);
  const byKind = (kind: string) => objects.filter(o => o.kind === kind);
  return { app, service, objects, byKind, rollout: byKind('Rollout')[0] };
}

describe('CanaryService', () => {
  test('GIVEN only a name, an image and a port WHEN synthesized THEN every default is the documented one', () => {
    const { app, objects, byKind, rollout } = canaryService();
    expect(validationProblems(app)).toEqual([]);
    expect(objects.map(o => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'AnalysisTemplate/api-canary', 'PodDisruptionBudget/api', 'PodMonitor/api', 'Rollout/api', 'Service/api', 'Service/api-canary', 'Service/api-stable',
    ]);
    expect(rollout.spec.replicas).toBe(CANARY_SERVICE_DEFAULTS.replicas);
    expect(rollout.spec.strategy.canary.steps.filter((s: object) => 'setWeight' in s).map((s: { setWeight: number }) => s.setWeight)).toEqual([10, 50]);
    expect(rollout.spec.template.spec.terminationGracePeriodSeconds).toBe(30);
    const [container] = rollout.spec.template.spec.containers;
    expect(container.readinessProbe.httpGet).toEqual({ path: '/healthz', port: 8000, scheme: 'HTTP' });
    expect(container.lifecycle.preStop.exec.command).toEqual(['sleep', '5']);
    expect(container.resources).toEqual({ requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '256Mi' } });
    expect(byKind('Service').map(s => s.spec.ports[0].port)).toEqual([80, 80, 80]);
    const [metric] = byKind('AnalysisTemplate')[0].spec.metrics;
    // 10s scrapes: the first measurement waits 2 × 10s + 5s; the window is four scrapes, longer than the 30s interval.
    expect(metric).toMatchObject({
      name: 'error-rate-vs-stable', interval: '30s', initialDelay: '25s', count: 5, inconclusiveLimit: 2,
      provider: { prometheus: { address: 'http://prometheus-operated.monitoring.svc:9090' } },
    });
    expect(longestRangeSeconds(metric.provider.prometheus.query)).toBe(40);
    expect(byKind('PodMonitor')[0].spec.podMetricsEndpoints[0].interval).toBe('10s');
    // Bonferroni: 1% over 2 steps × 5 measurements, z_crit = Φ⁻¹(1 − 0.001); NaN (thin data) is Inconclusive, +Inf (the ceiling) Failed.
    expect(metric.successCondition).toBe('len(result) > 0 && all(result, {(!isNaN(#) && !isInf(#) && # <= 3.0903)})');
    expect(metric.failureCondition).toBe('any(result, {(!isNaN(#) && !isInf(#) && !(# <= 3.0903)) || isInf(#)})');
    expect(metric.provider.prometheus.query).toContain('+ 0.0005)');
  });

  test('GIVEN a mesh service with an autoscaler, config and secrets WHEN synthesized THEN it is a measured canary that never drops a request', () => {
    const { app, objects, byKind, rollout } = canaryService({
      routing: Routing.istio(),
      autoscaling: { minReplicas: 3, maxReplicas: 10 },
      minSuccessRate: 0.995,
      canaryWeights: [10, 25, 50],
      config: { LOG_LEVEL: 'info' },
      secretEnv: { DATABASE_URL: { name: 'api-database', key: 'url' } },
      expectedRequestRate: 150,
    });
    expect(validationProblems(app)).toEqual([]);
    expect(objects.map(o => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'AnalysisTemplate/api-canary', 'ConfigMap/api-config-3e8331a1ad', 'HorizontalPodAutoscaler/api', 'PodDisruptionBudget/api',
      'PodMonitor/api', 'Rollout/api', 'Service/api', 'Service/api-canary', 'Service/api-stable', 'VirtualService/api',
    ]);
    expect(rollout.spec.strategy.canary.trafficRouting).toEqual({ istio: { virtualService: { name: 'api', routes: ['primary'] } } });
    // Istio measures the canary by its Service, so the analysis gets the canary Service's name.
    expect(rollout.spec.strategy.canary.steps[1].analysis.args[0]).toEqual({ name: 'canary-service', value: 'api-canary' });
    expect(byKind('AnalysisTemplate')[0].spec.metrics[0].provider.prometheus.query).toContain('istio_requests_total');
    expect(rollout.spec.replicas).toBeUndefined();
    expect(rollout.metadata.annotations['infra-delivery.io/expected-requests-per-second']).toBe('150');
    expect(byKind('HorizontalPodAutoscaler')[0].spec).toMatchObject({ minReplicas: 3, maxReplicas: 10, metrics: [{ resource: { name: 'cpu', target: { averageUtilization: 70 } } }] });
    const [container] = rollout.spec.template.spec.containers;
    expect(container.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container.image).toBe(IMAGE.toString());
    expect(container.env).toEqual([
      { name: 'LOG_LEVEL', valueFrom: { configMapKeyRef: { name: 'api-config-3e8331a1ad', key: 'LOG_LEVEL' } } },
      { name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'api-database', key: 'url' } } },
    ]);
    expect(byKind('ConfigMap')[0]).toMatchObject({ data: { LOG_LEVEL: 'info' }, immutable: true });
    expect(byKind('PodDisruptionBudget')[0].spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': 'api' } } });
    // 3 steps × 5 measurements; a 0.995 success rate makes the tolerance 1/20 of 0.5%.
    const [metric] = byKind('AnalysisTemplate')[0].spec.metrics;
    expect(metric.successCondition).toContain('# <= 3.2088');
    expect(metric.provider.prometheus.query).toContain('destination_service_name="{{args.stable-service}}"');
    expect(metric.provider.prometheus.query).toContain('+ 0.00025)');
  });

  test('GIVEN a slower scrape WHEN synthesized THEN the PodMonitor scrapes at it and the first measurement waits two of them', () => {
    const { byKind } = canaryService({ scrapeInterval: Duration.seconds(15), analysisWindow: Duration.minutes(1) });
    expect(byKind('PodMonitor')[0].spec.podMetricsEndpoints[0].interval).toBe('15s');
    const [metric] = byKind('AnalysisTemplate')[0].spec.metrics;
    expect(metric.initialDelay).toBe('35s');
    expect(longestRangeSeconds(metric.provider.prometheus.query)).toBe(60);
  });

  test('GIVEN the sync waves WHEN read THEN what the Rollout refers to comes before it, and the autoscaler after', () => {
    const { byKind } = canaryService({ autoscaling: { maxReplicas: 10 }, routing: Routing.istio() });
    const wave = (kind: string) => Number(byKind(kind)[0].metadata.annotations['argocd.argoproj.io/sync-wave']);
    expect(wave('Service')).toBeLessThan(wave('Rollout'));
    expect(wave('AnalysisTemplate')).toBeLessThan(wave('Rollout'));
    expect(wave('VirtualService')).toBeLessThan(wave('Rollout'));
    expect(wave('HorizontalPodAutoscaler')).toBeGreaterThan(wave('Rollout'));
  });

  test('GIVEN a latency bound, ports and delays WHEN synthesized THEN success rate and latency gate each step, on the given ports', () => {
    const { byKind, rollout } = canaryService({ maxLatency: Duration.millis(500), servicePort: 8080, preStopDelay: Duration.seconds(10), terminationGracePeriod: Duration.seconds(45), readinessPath: '/ready' });
    const [template] = byKind('AnalysisTemplate');
    expect(template.spec.metrics.map((m: { name: string }) => m.name)).toEqual(['error-rate-vs-stable', 'latency-p99']);
    expect(template.spec.metrics[1].successCondition).toContain('# <= 0.5');
    expect(byKind('PodMonitor')[0].spec.podMetricsEndpoints[0].port).toBe('http');
    expect(byKind('Service').map(s => s.spec.ports[0])).toEqual(Array(3).fill({ port: 8080, targetPort: 8000, name: 'http' }));
    const [container] = rollout.spec.template.spec.containers;
    expect(container.ports).toEqual([{ containerPort: 8000, name: 'http' }]);
    expect(container.readinessProbe.httpGet.path).toBe('/ready');
    expect(container.lifecycle.preStop.exec.command).toEqual(['sleep', '10']);
    expect(rollout.spec.template.spec.terminationGracePeriodSeconds).toBe(45);
  });

  test('GIVEN a named target port WHEN synthesized THEN every Service targets the container port by its name', () => {
    const { app, byKind, rollout } = canaryService({ namedTargetPort: true });
    expect(validationProblems(app)).toEqual([]);
    expect(byKind('Service').map(s => s.spec.ports[0])).toEqual(Array(3).fill({ port: 80, targetPort: 'http', name: 'http' }));
    expect(rollout.spec.template.spec.containers[0].ports).toEqual([{ containerPort: 8000, name: 'http' }]);
  });

  test('GIVEN a config change WHEN synthesized THEN the ConfigMap gets a new name, so the change rolls out as a canary', () => {
    const name = (config: Record<string, string>) => canaryService({ config }).byKind('ConfigMap')[0].metadata.name;
    expect(name({ LOG_LEVEL: 'info' })).toBe('api-config-3e8331a1ad');
    expect(name({ LOG_LEVEL: 'debug' })).not.toBe('api-config-3e8331a1ad');
    expect(canaryService({ config: {} }).byKind('ConfigMap')).toEqual([]);
  });

  test('GIVEN an invalid environment variable name WHEN constructed THEN it throws with the construct path and the rule', () => {
    expect(() => canaryService({ config: { 'LOG-LEVEL': 'info' } }))
      .toThrow("test/Api: 'config.LOG-LEVEL' is 'LOG-LEVEL': is not a valid environment variable name; use letters, digits and underscores, starting with a letter or underscore");
    expect(() => canaryService({ secretEnv: { 'db url': { name: 's', key: 'k' } } }))
      .toThrow("test/Api: 'secretEnv.db url' is 'db url': is not a valid environment variable name");
  });

  const STORE = (name: string) => `store it in a Secret and reference it with secretEnv: { ${name}: { name: '<secret>', key: '<key>' } }`;
  test.each([
    ['a secret by name', { DB_PASSWORD: 'hunter2' }, 'DB_PASSWORD', 'its name'],
    ['a token by name', { GITHUB_TOKEN: 'x' }, 'GITHUB_TOKEN', 'its name'],
    ['a url with a password', { DATABASE_URL: 'postgres://app:hunter2@db:5432/app' }, 'DATABASE_URL', 'its value'],
    ['a private key', { TLS_KEY_PEM: '-----BEGIN EC PRIVATE KEY-----\nMHc' }, 'TLS_KEY_PEM', 'its value'],
  ])('GIVEN config holding %s WHEN synthesized THEN it is refused without printing the value, pointing at secretEnv', (_, config, name, by) => {
    // A name can be excused with a reason; a value that carries a secret cannot.
    const fix = by === 'its name' ? `${STORE(name)}, or, if it holds none, say why with notSecret: { ${name}: '<why it is public>' }` : STORE(name);
    expect(() => canaryService({ config })).toThrow(`test/Api: 'config.${name}' is '<redacted>': looks like a secret by ${by}, and config is written in plain text to a ConfigMap in dist/; ${fix}`);
  });

  test('GIVEN a config key named like a secret, with the reason it is none WHEN synthesized THEN it is accepted, and the ConfigMap records the reason', () => {
    // GIVEN an issuer url, public, under a name the secret rule reads as a token
    const { app, byKind } = canaryService({
      config: { TOKEN_ISSUER_URL: 'https://auth.example.com/', LOG_LEVEL: 'info' },
      notSecret: { TOKEN_ISSUER_URL: 'the issuer url, public' },
    });
    // THEN there is no problem, and the reason is on the ConfigMap beside the value
    expect(validationProblems(app)).toEqual([]);
    const [configMap] = byKind('ConfigMap');
    expect(configMap.data).toEqual({ TOKEN_ISSUER_URL: 'https://auth.example.com/', LOG_LEVEL: 'info' });
    expect(configMap.metadata.annotations['infra-delivery.io/not-secret']).toBe('{"TOKEN_ISSUER_URL":"the issuer url, public"}');
    expect(canaryService({ config: { LOG_LEVEL: 'info' } }).byKind('ConfigMap')[0].metadata.annotations).not.toHaveProperty(['infra-delivery.io/not-secret']);
  });

  test.each<[string, Partial<CanaryServiceProps>, string]>([
    ['an empty reason', { config: { TOKEN_ISSUER_URL: 'https://auth.example.com/' }, notSecret: { TOKEN_ISSUER_URL: ' ' } },
      "test/Api: 'notSecret.TOKEN_ISSUER_URL' is ' ': must say why the value is not a secret, which the ConfigMap records; write the reason, e.g. notSecret: { TOKEN_ISSUER_URL: 'the issuer url, public' }"],
    ['a key that is not in config', { config: { LOG_LEVEL: 'info' }, notSecret: { TOKEN_ISSUER_URL: 'the issuer url, public' } },
      "test/Api: 'notSecret.TOKEN_ISSUER_URL' is 'TOKEN_ISSUER_URL': is not a key of the config beside it, so it lets nothing through; set it in the same settings as the config key it names, or remove it"],
    ['a key not named like a secret', { config: { LOG_LEVEL: 'info' }, notSecret: { LOG_LEVEL: 'a log level' } },
      "test/Api: 'notSecret.LOG_LEVEL' is 'LOG_LEVEL': is not named like a secret, so it needs no opt-out; remove it"],
    ['a value that carries a password', { config: { TOKEN_ISSUER_URL: 'https://app:hunter2@auth.example.com/' }, notSecret: { TOKEN_ISSUER_URL: 'the issuer url, public' } },
      `test/Api: 'config.TOKEN_ISSUER_URL' is '<redacted>': looks like a secret by its value, and config is written in plain text to a ConfigMap in dist/; ${STORE('TOKEN_ISSUER_URL')}`],
    ['a value that is a private key', { config: { SIGNING_SECRET: '-----BEGIN PRIVATE KEY-----\nMC4' }, notSecret: { SIGNING_SECRET: 'a test key' } },
      `test/Api: 'config.SIGNING_SECRET' is '<redacted>': looks like a secret by its value, and config is written in plain text to a ConfigMap in dist/; ${STORE('SIGNING_SECRET')}`],
  ])('GIVEN an opt-out with %s WHEN synthesized THEN it is one problem naming the field and the fix', (_, props, message) => {
    // WHEN the settings are checked and the service synthesized; THEN exactly this problem, once
    expect(canaryServiceSettingProblems(props)).toHaveLength(1);
    expect(() => canaryService(props)).toThrow(message);
  });

  test('GIVEN config of plain settings and a url without a password WHEN synthesized THEN it is accepted', () => {
    expect(canaryService({ config: { LOG_LEVEL: 'info', DATABASE_URL: 'postgres://db:5432/app', TOKENIZER_MODEL: 'bert' } }).byKind('ConfigMap')).toHaveLength(1);
  });

  test('GIVEN the pattern WHEN asked what the controller writes THEN it is the router\'s fields, for the Application to ignore', () => {
    expect(canaryService({ routing: Routing.istio() }).service.controllerOwnedFields).toEqual([
      { group: 'networking.istio.io', kind: 'VirtualService', name: 'api', jsonPointers: ['/spec/http/0/route/0/weight', '/spec/http/0/route/1/weight'] },
    ]);
    expect(canaryService().service.controllerOwnedFields).toEqual([]);
  });

  test('GIVEN an image given as a bare tag by a caller without types WHEN synthesized THEN it is a problem naming the fix, not a running tag', () => {
    expect(() => canaryService({ image: 'ghcr.io/acme/api:latest' as unknown as ImageRef })).toThrow(
      "test/Api: 'image' is 'ghcr.io/acme/api:latest': must be an ImageRef, pinned by digest; parse it with ImageRef.parse('registry/repo@sha256:<64 hex>', 'where it came from')",
    );
  });

  test('GIVEN settings WHEN checked alone THEN each problem names its field and the caller says where', () => {
    expect(canaryServiceSettingProblems({ canaryWeights: [10, 5], replicas: 1 })).toEqual([
      { field: 'canaryWeights[1]', value: 5, rule: 'must be above the weight before it (10)', fix: 'list the weights in increasing order, each once' },
      { field: 'replicas', value: 1, rule: 'must be an integer of at least 2: with one pod, draining its node or a disruption takes the service down', fix: 'run at least 2 replicas' },
    ]);
    expect(canaryServiceSettingProblems({})).toEqual([]);
  });

  test('GIVEN each routing WHEN synthesized THEN the Rollout passes the canary\'s and the stable version\'s identity, which the controller resolves when it creates the run', () => {
    const argsOf = (props: Partial<CanaryServiceProps>) => canaryService(props).rollout.spec.strategy.canary.steps[1].analysis.args;
    expect(argsOf({})).toEqual([
      { name: 'canary-hash', valueFrom: { podTemplateHashValue: 'Latest' } },
      { name: 'namespace', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      { name: 'stable-hash', valueFrom: { podTemplateHashValue: 'Stable' } },
    ]);
    expect(argsOf({ routing: Routing.istio() })).toEqual([
      { name: 'canary-service', value: 'api-canary' },
      { name: 'namespace', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      { name: 'stable-service', value: 'api-stable' },
    ]);
  });

  test('GIVEN a mesh scraped every 30s WHEN synthesized THEN the analysis is timed from the mesh\'s scrape, not the app\'s', () => {
    const { byKind } = canaryService({ routing: Routing.istio(), routerScrapeInterval: Duration.seconds(30) });
    const [metric] = byKind('AnalysisTemplate')[0].spec.metrics;
    expect(metric.initialDelay).toBe('65s');
    expect(longestRangeSeconds(metric.provider.prometheus.query)).toBe(120);
    expect(byKind('PodMonitor')[0].spec.podMetricsEndpoints[0].interval).toBe('10s');
  });

  test('GIVEN a declared rate WHEN synthesized THEN the window holds twice the data floor of canary requests at the first weight', () => {
    // 2 requests/s × 10% = 0.2 canary requests/s: 20 requests take 100 s, a multiple of the 10 s scrape.
    const [metric] = canaryService({ expectedRequestRate: 2 }).byKind('AnalysisTemplate')[0].spec.metrics;
    expect(longestRangeSeconds(metric.provider.prometheus.query)).toBe(100);
  });

  test('GIVEN 2 requests/s declared WHEN synthesized THEN the last step runs its own, longer analysis, long enough to catch 2 points above stable', () => {
    const { byKind, rollout } = canaryService({ expectedRequestRate: 2 });
    const templates = byKind('AnalysisTemplate');
    expect(templates.map(t => t.metadata.name)).toEqual(['api-canary', 'api-canary-final']);
    type Step = { analysis?: { templates: { templateName: string }[] } };
    expect(rollout.spec.strategy.canary.steps.map((s: Step) => s.analysis?.templates[0].templateName)).toEqual([undefined, 'api-canary', undefined, 'api-canary-final']);
    const [every, final] = templates.map(t => t.spec.metrics[0]);
    // Step 1 keeps 5 measurements every 30 s; the last step at 50% (1 canary request/s) measures 40 times over a window as long as the step.
    expect([every.count, every.interval, longestRangeSeconds(every.provider.prometheus.query)]).toEqual([5, '30s', 100]);
    expect([final.count, final.interval, final.inconclusiveLimit, longestRangeSeconds(final.provider.prometheus.query)]).toEqual([40, '30s', 20, 1190]);
    // Bonferroni over all 45 comparison measurements of the release, the same bound in both templates.
    expect(every.successCondition).toContain('# <= 3.5122');
    expect(final.successCondition).toContain('# <= 3.5122');
  });

  test('GIVEN one weight and 2 requests/s declared WHEN synthesized THEN its one step is the last: one template, at the lengthened timing', () => {
    const { byKind, rollout } = canaryService({ expectedRequestRate: 2, canaryWeights: [50] });
    expect(byKind('AnalysisTemplate').map(t => t.metadata.name)).toEqual(['api-canary']);
    expect(rollout.spec.strategy.canary.steps[1].analysis.templates).toEqual([{ templateName: 'api-canary' }]);
    expect(byKind('AnalysisTemplate')[0].spec.metrics[0].count).toBeGreaterThan(CANARY_SERVICE_DEFAULTS.analysisCount);
  });

  test('GIVEN 150 requests/s declared WHEN synthesized THEN every step already catches 2 points: one template, as without a rate', () => {
    const { byKind } = canaryService({ expectedRequestRate: 150 });
    expect(byKind('AnalysisTemplate').map(t => t.metadata.name)).toEqual(['api-canary']);
  });

  test('GIVEN 2 requests/s declared and an analysisCount WHEN synthesized THEN the count is the team\'s choice: no step is lengthened', () => {
    const { byKind } = canaryService({ expectedRequestRate: 2, analysisCount: 3 });
    expect(byKind('AnalysisTemplate').map(t => [t.metadata.name, t.spec.metrics[0].count])).toEqual([['api-canary', 3]]);
  });

  test.each([
    [{ expectedRequestRate: 0.1 }, "test/Api: 'expectedRequestRate' is 0.1: gives the first canary step 0.01 requests/s, which needs a 2000s window to see 20 requests, above the 600s this pattern derives; raise the first canary weight, or set analysisWindow to 2000s and analysisCount so that a step lasts that long"],
    [{ expectedRequestRate: 0.3 }, "test/Api: 'expectedRequestRate' is 0.3: is too low for the last canary step (50%) to catch an error rate 2 points above stable's within a 30-minute step; raise the last canary weight, or set analysisCount (and analysisWindow) to accept what `npm run plan` says such steps catch"],
    [{ analysisWindow: Duration.seconds(30) }, "test/Api: 'analysisWindow' is '30s': must span at least four scrapes of the queried metrics (40s at 10s); raise analysisWindow to 40s or more"],
    [{ routing: Routing.istio(), routerScrapeInterval: Duration.seconds(60) }, "test/Api: 'analysisInterval' is '30s': must be at least the routerScrapeInterval of the queried metrics (60s): measurements in between see no new sample; raise analysisInterval to 60s or more"],
  ])('GIVEN a timing that cannot work (%j) WHEN synthesized THEN it is refused with the length needed', (props, message) => {
    expect(() => canaryService(props as Partial<CanaryServiceProps>)).toThrow(message);
  });
});
