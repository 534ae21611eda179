import { abortBounds, errorsToFail, formatDuration, KubeObject, metricPlan, otherRolloutOptOuts, planRollout, planServices, ServiceObjects } from '../../../delivery/plan';
import { REVIEWED_CONDITIONS_ANNOTATION, Threshold } from '../../../lib/analysis';
import { EXPECTED_RPS_ANNOTATION } from '../../../lib/patterns';
import { ACCEPT_UNMEASURED_ANNOTATION } from '../../../lib/rollout';

const template = (name: string, metric: object): KubeObject => ({
  apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisTemplate', metadata: { name }, spec: { metrics: [metric] },
});
type RolloutExtra = { replicas?: number; rps?: number; progressDeadlineSeconds?: number; progressDeadlineAbort?: boolean; accepted?: string };
const rollout = (canary: object, extra: RolloutExtra = {}): KubeObject => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: {
    name: 'app',
    annotations: {
      ...extra.rps ? { [EXPECTED_RPS_ANNOTATION]: String(extra.rps) } : {},
      ...extra.accepted ? { [ACCEPT_UNMEASURED_ANNOTATION]: extra.accepted } : {},
    },
  },
  spec: {
    replicas: extra.replicas,
    progressDeadlineSeconds: extra.progressDeadlineSeconds,
    progressDeadlineAbort: extra.progressDeadlineAbort ?? true,
    strategy: { canary },
  },
});
const podMonitor = (interval: string): KubeObject => ({
  apiVersion: 'monitoring.coreos.com/v1', kind: 'PodMonitor', metadata: { name: 'app' }, spec: { podMetricsEndpoints: [{ interval }] },
});
const folder = (objects: KubeObject[]): ServiceObjects => ({ environment: 'staging', service: 'app', objects });

describe('planRollout', () => {
  // Worked by hand: initialDelay 30s, interval 1m, count 5, failureLimit 1, window 2m, 3 replicas with one surge pod.
  const successRate = template('rate', {
    name: 'success-rate', interval: '1m', count: 5, failureLimit: 1, consecutiveErrorLimit: 4, initialDelay: '30s',
    successCondition: 'len(result) > 0 && all(result, {(!isNaN(#) && !isInf(#) && # >= 0.99)})',
    provider: { prometheus: { query: 'sum(rate(x[2m])) / sum(rate(y[2m]))' } },
  });
  const plan = planRollout(folder([
    rollout({
      maxSurge: '25%',
      steps: [{ setWeight: 10 }, { analysis: { templates: [{ templateName: 'rate' }] } }, { setWeight: 50 }, { pause: { duration: 30 } }, { setWeight: 80 }],
    }, { replicas: 3, rps: 8, progressDeadlineSeconds: 300 }),
    successRate,
    podMonitor('30s'),
  ]))!;

  test('GIVEN a replica-based canary WHEN planned THEN each step has its real share, start and duration', () => {
    expect(plan.steps.map(s => [s.action, Math.round(s.share), s.startS, s.durationS])).toEqual([
      ['setWeight 10', 25, 0, 0], // 1 canary + 3 stable with the surge pod is closer to 10% than 1 + 2
      ['analysis rate', 25, 0, 271], // 1s reconcile + 30s + 4 × 1m
      ['setWeight 50', 50, 271, 0], // 2 + 2
      ['pause 30s', 50, 271, 30],
      ['setWeight 80', 75, 301, 0], // 3 + 1
    ]);
    expect(plan.promotionS).toBe(301);
    expect(plan.router).toBeUndefined();
  });

  test('GIVEN the analysis WHEN planned THEN detection, the error path and the exposure follow the documented formulas', () => {
    const [metric] = plan.steps[1].metrics;
    // A 20% spike fills (1 − 0.99) / 0.2 = 5% of the 2m window in 6s, and is visible 2 × 30s scrapes after it starts.
    // Bad from the start: the first measurement at 30s + k × 1m that is at least 66s in is at 90s; one more for failureLimit 1; 1s reconcile.
    expect(metric.startDetectionS).toBe(1 + 90 + 60);
    // Mid-run, the counters exist, so one 30s scrape shows the spike: (1 + 1) × 1m + 30s + 6s.
    expect(metric.spikeDetectionS).toBe(2 * 60 + 30 + 6);
    // Prometheus hangs: 1s + max(30s, 1m) + 5 tries × 30s timeout + 4 × 10s retry.
    expect(metric.errorAbortS).toBe(1 + 60 + 5 * 30 + 4 * 10);
    // Declared traffic of 8 rps at 25% gives 2 rps, 240 requests and 48 errors of a bad release per 2m window: enough.
    expect(abortBounds(plan.steps[1], plan.expectedRps)).toEqual({ startS: 151, spikeS: 156, prometheusDownS: 251 });
    // 0.5 rps would give 3 errors, fewer than twice the 4.4 errors E at which E − 2√E exceeds 1% of the window: no bound.
    expect(abortBounds(plan.steps[1], 0.5)).toEqual({ startS: undefined, spikeS: undefined, prometheusDownS: 251 });
    expect(errorsToFail(0.99)).toBeCloseTo(4.43, 2);
    expect(metric.minSuccessRate).toBe(0.99);
    expect(plan.exposure).toEqual({ weight: 10, share: 25 });
  });

  test('GIVEN the weak spots of this canary WHEN planned THEN each is a warning with its numbers', () => {
    expect(plan.warnings).toEqual([
      'steps[2]: weight 50 takes traffic with no analysis running before the next weight or the promotion',
      'steps[4]: weight 80 takes traffic with no analysis running before the next weight or the promotion',
      'rate/success-rate: the 2m rate window is longer than the 1m interval, so one spike fails several measurements and spends the failureLimit of 1 (steps[1])',
      'steps[0]: setWeight 10 sends 25% of traffic to the canary with 3 replicas, not 10%; 9 replicas or a traffic router would meet 10%',
      'steps[1] rate/success-rate: about 240 canary requests per 2m window at 25% of 8 rps; judging a 0.99 success rate needs about 300 (3 / 0.01)',
    ]);
  });

  test('GIVEN background analysis and a router WHEN planned THEN a pause shorter than detection is flagged and exposure counts the steps before it starts', () => {
    const background = planRollout(folder([
      rollout({
        trafficRouting: { istio: { virtualService: { name: 'app' } } },
        analysis: { templates: [{ templateName: 'bg' }], startingStep: 1 },
        steps: [{ setWeight: 20 }, { pause: { duration: '1m' } }, { setWeight: 60 }, { pause: { duration: '10m' } }],
      }, { replicas: 3 }),
      template('bg', { name: 'errors', interval: '30s', count: 10, failureLimit: 2, provider: { prometheus: { query: 'sum(rate(x[30s]))' } } }),
      podMonitor('5s'),
    ]))!;
    expect(background.router).toBe('istio');
    expect(background.steps.map(s => s.share)).toEqual([20, 20, 60, 60]);
    expect(background.exposure).toEqual({ weight: 20, share: 20 });
    expect(background.promotionS).toBe(660);
    // (2 + 1) × 30s + 5s + 5% of 30s = 1m 36.5s, longer than the 1m pause; 10 measurements end after 1s + 9 × 30s.
    expect(background.warnings).toEqual([
      'steps[1]: the 1m pause is shorter than the 1m 37s background analysis needs to catch an error spike, so the next step starts unjudged',
      'background analysis ends Successful after 4m 31s and is not started again, but promotion comes at 11m: what runs after it is not measured',
    ]);
  });

  test('GIVEN a scrape interval too long for the window, long analysis and a manual pause WHEN planned THEN each shows, and progressDeadlineSeconds is no concern', () => {
    const slow = planRollout(folder([
      rollout({ steps: [{ setWeight: 10 }, { analysis: { templates: [{ templateName: 'rate' }] } }, { pause: {} }] }, { replicas: 10, progressDeadlineSeconds: 100 }),
      template('rate', { name: 'p', interval: '1m', count: 3, successCondition: Threshold.atLeast(0.99).successCondition(), provider: { prometheus: { query: 'rate(x[1m])' } } }),
      podMonitor('30s'),
    ]))!;
    expect(slow.promotionS).toBe(Infinity);
    expect(slow.steps[2].action).toBe('pause until promoted by hand');
    expect(slow.warnings).toEqual([
      'rate/p: the 1m rate window spans fewer than 3 scrapes of 30s, so rate() is noisy or empty',
      `no expected request rate is declared (annotation ${EXPECTED_RPS_ANNOTATION}), so whether each window holds enough requests cannot be checked`,
    ]);
  });

  test('GIVEN too little traffic for a bad release to show WHEN planned THEN no detection time is stated, and a warning says why', () => {
    const quiet = planRollout(folder([
      rollout({ trafficRouting: { istio: {} }, steps: [{ setWeight: 10 }, { analysis: { templates: [{ templateName: 'rate' }] } }] }, { replicas: 10, rps: 5 }),
      template('rate', { name: 'p', interval: '30s', count: 3, successCondition: Threshold.atLeast(0.99).successCondition(), provider: { prometheus: { query: 'rate(x[30s])' } } }),
      podMonitor('10s'),
    ]))!;
    // 5 rps × 10% × 30s = 15 requests; 20% of them, 3 errors, where about 8.9 fail the bound reliably.
    expect(abortBounds(quiet.steps[1], quiet.expectedRps)).toMatchObject({ startS: undefined, spikeS: undefined });
    expect(quiet.warnings).toContain('steps[1] rate/p: a 20% error rate gives about 3 errors per window, fewer than the 9 that fail it reliably, so no detection time is stated; '
      + 'more traffic or a longer window would');
  });

  test('GIVEN no analysis at all WHEN planned THEN all traffic is exposed unmeasured', () => {
    const none = planRollout(folder([rollout({ steps: [{ setWeight: 50 }] }, { replicas: 2 })]))!;
    expect(none.exposure).toEqual({ weight: 100, share: 100 });
    expect(none.warnings).toEqual(['steps[0]: weight 50 takes traffic with no analysis running before the next weight or the promotion']);
  });

  test('GIVEN ungated weights accepted with a reason WHEN planned THEN the warning carries the reason', () => {
    const accepted = planRollout(folder([rollout({ steps: [{ setWeight: 50 }] }, { replicas: 2, accepted: 'too quiet to measure' })]))!;
    expect(accepted.acceptedUnmeasured).toBe('too quiet to measure');
    expect(accepted.warnings).toEqual(['steps[0]: weight 50 takes traffic with no analysis running before the next weight or the promotion; accepted: too quiet to measure']);
  });

  test('GIVEN progressDeadlineAbort off WHEN planned THEN a warning says a stuck canary keeps its weight', () => {
    const off = planRollout(folder([rollout({ steps: [{ setWeight: 20 }, { pause: {} }] }, { replicas: 5, progressDeadlineAbort: false })]))!;
    expect(off.progressDeadlineAbort).toBe(false);
    expect(off.warnings).toContain('progressDeadlineAbort is off: a canary whose pods never become ready keeps its step\'s weight, Degraded, until someone aborts it');
  });

  test('GIVEN a weight held by a manual pause WHEN planned THEN the warning says a person judges it and promotion has no time', () => {
    const manual = planRollout(folder([rollout({ steps: [{ setWeight: 20 }, { pause: {} }] }, { replicas: 5 })]))!;
    expect(manual.promotionS).toBe(Infinity);
    expect(manual.warnings).toEqual(['steps[0]: weight 20 takes traffic with no analysis running before the next weight or the promotion; a manual pause holds it for a person to judge']);
  });

  test('GIVEN a metric with an interval and no count WHEN planned THEN it runs until the rollout ends it, as the controller does', () => {
    expect(metricPlan('t', { name: 'm', interval: '1m', provider: { prometheus: { query: 'up' } } }).count).toBe(Infinity);
  });

  test('GIVEN an analysis by a template that exists only in the cluster WHEN planned THEN it gates the weight and a warning says it is not checked here', () => {
    const external = planRollout(folder([rollout({ steps: [{ setWeight: 20 }, { analysis: { templates: [{ templateName: 'platform-smoke' }] } }] }, { replicas: 5 })]))!;
    expect(external.steps[1].externalTemplates).toEqual(['platform-smoke']);
    expect(external.exposure).toEqual({ weight: 20, share: 20 });
    expect(external.warnings).toEqual(['steps[1]: analysis template platform-smoke is not in dist/ (it exists in the cluster), so its metrics and detection times are not checked here']);
  });

  test.each<[string, object, object, string]>([
    ['a failure limit equal to count', { failureLimit: 3 }, {}, 'rate/p: can never fail the rollout: its failureLimit of 3 is not below its count of 3 (steps[1])'],
    ['a dry-run rule of the rollout, matched as an unanchored regex', {}, { dryRun: [{ metricName: 'p' }] }, 'rate/p: can never fail the rollout: it runs in dry-run (steps[1])'],
  ])('GIVEN %s WHEN planned THEN the metric gates nothing and a warning says why', (_, limits, run, warning) => {
    const weak = planRollout(folder([
      rollout({ steps: [{ setWeight: 10 }, { analysis: { templates: [{ templateName: 'rate' }], ...run } }] }, { replicas: 10 }),
      template('rate', { name: 'p', interval: '1m', count: 3, ...limits, successCondition: Threshold.atLeast(0.99).successCondition(), provider: { prometheus: { query: 'rate(x[5m])' } } }),
    ]))!;
    expect(weak.steps[1].metrics[0].canFail).toBe(false);
    expect(weak.warnings).toEqual(expect.arrayContaining([
      warning,
      'steps[0]: weight 10 takes traffic with no analysis running before the next weight or the promotion',
    ]));
  });

  test('GIVEN a template with hand-written conditions WHEN planned THEN the plan lists each with the reason it was accepted', () => {
    const reviewed = planRollout(folder([
      rollout({ steps: [{ setWeight: 10 }, { analysis: { templates: [{ templateName: 'status' }] } }] }, { replicas: 10 }),
      {
        ...template('status', { name: 'page', interval: '1m', count: 3, failureCondition: 'result.state == "down"', provider: { web: { url: 'https://status' } } }),
        metadata: { name: 'status', annotations: { [REVIEWED_CONDITIONS_ANNOTATION]: JSON.stringify({ page: 'the status page says down; decided with sre' }) } },
      },
    ]))!;
    expect(reviewed.steps[1].metrics[0]).toMatchObject({ provider: 'web', threshold: undefined, canFail: true });
    expect(reviewed.warnings).toContain('status/page: conditions written by hand; accepted: the status page says down; decided with sre');
  });

  test('GIVEN a Rollout and a template that opt out of rules WHEN planned THEN the plan lists each opt-out with its reason', () => {
    const optedOut = planRollout(folder([
      { ...rollout({ steps: [{ setWeight: 10 }, { analysis: { templates: [{ templateName: 'smoke' }] } }] }, { replicas: 10 }),
        metadata: { name: 'web', annotations: { 'infra-delivery.io/accepted-rules': JSON.stringify({ 'some-rule': 'why the rollout opts out' }) } } },
      {
        ...template('smoke', { name: 'pass', count: 1, provider: { job: { spec: {} } } }),
        metadata: { name: 'smoke', annotations: { 'infra-delivery.io/accepted-rules': JSON.stringify({ 'pass/job-without-deadline': 'exit 0 cannot hang' }) } },
      },
    ]))!;
    expect(optedOut.acceptedRules).toEqual([
      { object: 'Rollout/web', rule: 'some-rule', reason: 'why the rollout opts out' },
      { object: 'smoke/pass', rule: 'job-without-deadline', reason: 'exit 0 cannot hang' },
    ]);
    expect(optedOut.warnings).toEqual(expect.arrayContaining([
      "Rollout/web: opts out of the rule 'some-rule'; accepted: why the rollout opts out",
      "smoke/pass: opts out of the rule 'job-without-deadline'; accepted: exit 0 cannot hang",
    ]));
  });

  test('GIVEN a blue-green Rollout with opt-outs WHEN planned THEN it has no canary plan, and its opt-outs are listed apart', () => {
    const blueGreen: KubeObject = {
      apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout',
      metadata: { name: 'app', annotations: { [ACCEPT_UNMEASURED_ANNOTATION]: 'internal tool' } },
      spec: { strategy: { blueGreen: { activeService: 'app', previewService: 'app-preview', postPromotionAnalysis: { templates: [{ templateName: 'smoke' }] } } } },
    };
    const smoke = { ...template('smoke', { name: 'pass', count: 1, provider: { job: { spec: {} } } }),
      metadata: { name: 'smoke', annotations: { 'infra-delivery.io/accepted-rules': JSON.stringify({ 'pass/job-without-deadline': 'exit 0 cannot hang' }) } } };
    const folders = [folder([blueGreen, smoke])];
    expect(planServices(folders)).toEqual([]);
    expect(otherRolloutOptOuts(folders)).toEqual([
      'staging/app: promotes with no analysis measuring it; accepted: internal tool',
      "staging/app smoke/pass: opts out of the rule 'job-without-deadline'; accepted: exit 0 cannot hang",
    ]);
    expect(otherRolloutOptOuts([folder([rollout({ steps: [] }, { accepted: 'quiet' })])])).toEqual([]);
  });

  test('GIVEN experiment steps WHEN planned THEN an open-ended one waits for a person, and one whose analysis can fail gates its weight', () => {
    const rate = template('rate', { name: 'p', interval: '1m', count: 3, successCondition: Threshold.atLeast(0.99).successCondition(), provider: { prometheus: { query: 'rate(x[5m])' } } });
    const experiments = planRollout(folder([
      rollout({ steps: [
        { setWeight: 10 }, { experiment: { duration: '10m', templates: [{ name: 'c', specRef: 'canary' }], analyses: [{ name: 'a', templateName: 'rate' }] } },
        { setWeight: 20 }, { experiment: { templates: [{ name: 'c', specRef: 'canary' }], analyses: [{ name: 'a', templateName: 'rate', requiredForCompletion: true }] } },
        { setWeight: 30 }, { experiment: { templates: [{ name: 'c', specRef: 'canary' }] } },
      ] }, { replicas: 10 }),
      rate,
    ]))!;
    expect(experiments.steps.filter(s => s.action.startsWith('experiment')).map(s => [s.action, s.durationS, s.metrics.length, s.experimentMetrics.length])).toEqual([
      ['experiment 10m', 600, 0, 1],
      ['experiment 2m 1s', 121, 0, 1], // waits for the analysis: 1s reconcile + 2 × 1m
      ['experiment until promoted by hand', Infinity, 0, 0],
    ]);
    expect(experiments.exposure).toEqual({ weight: 10, share: 10 });
    expect(experiments.warnings).toEqual(['steps[4]: weight 30 takes traffic with no analysis running before the next weight or the promotion; an open-ended experiment holds it for a person to judge']);
  });

  test('GIVEN a folder without a Rollout WHEN planned THEN there is no plan', () => {
    expect(planRollout(folder([podMonitor('15s')]))).toBeUndefined();
  });
});

describe('planServices', () => {
  test('GIVEN a ClusterAnalysisTemplate in another folder and an autoscaler WHEN planned THEN the template is found and the HPA minimum is used', () => {
    const [plan] = planServices([
      folder([
        rollout({ steps: [{ setWeight: 10 }, { analysis: { templates: [{ templateName: 'shared', clusterScope: true }] } }] }),
        { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'app' }, spec: { minReplicas: 4 } },
      ]),
      { environment: 'platform', service: 'templates', objects: [{ ...template('shared', { name: 'm', interval: '1m', count: 2, provider: { prometheus: { query: 'up' } } }), kind: 'ClusterAnalysisTemplate' }] },
    ]);
    expect(plan.steps[1].durationS).toBe(61);
    expect(plan.replicas).toBe(4);
    expect(plan.autoscaled).toBe(true);
  });
});

describe('durations', () => {
  test('GIVEN seconds WHEN formatted THEN the units read naturally', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(90)).toBe('1m 30s');
    expect(formatDuration(3600)).toBe('1h');
    expect(formatDuration(Infinity)).toBe('∞');
  });

  test('GIVEN a metric without interval or count WHEN planned THEN Argo Rollouts defaults apply: one measurement', () => {
    expect(metricPlan('t', { name: 'm', provider: { prometheus: { query: 'up' } } })).toMatchObject({ count: 1, durationS: 1, consecutiveErrorLimit: 4, errorAbortS: 1 + 5 * 30 + 4 * 10 });
  });
});
