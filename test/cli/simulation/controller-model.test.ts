import { MeasurementPhase, Measure, replayRelease } from '../../../cli/simulation/controller-model';
import { MetricPlan, RolloutPlan, StepPlan } from '../../../delivery/plan';

const metric = (overrides: Partial<MetricPlan> = {}): MetricPlan => ({
  template: 't', name: 'm', provider: 'prometheus', canFail: true, query: 'up', intervalS: 30, count: 3, failureLimit: 0, inconclusiveLimit: 0, consecutiveErrorLimit: 4,
  initialDelayS: 25, windowS: 30, timeoutS: 30, minSuccessRate: 0.99, durationS: 0, startDetectionS: 0, spikeDetectionS: 0, errorAbortS: 0,
  ...overrides,
});
const step = (index: number, action: string, overrides: Partial<StepPlan> = {}): StepPlan => ({
  index, action, weight: 0, share: 0, startS: 0, durationS: 0, metrics: [], experimentMetrics: [], externalTemplates: [], ...overrides,
});
const plan = (steps: StepPlan[], background?: RolloutPlan['background']): RolloutPlan => ({
  environment: 'staging', service: 'web', replicas: 10, autoscaled: false, steps, background,
  promotionS: 0, exposure: { weight: 10, share: 10 }, progressDeadlineAbort: true, reviewedConditions: [], acceptedRules: [], warnings: [],
});
/** Measures with `phases` in turn (the last one repeating), recording when each measurement ran. */
const scripted = (phases: MeasurementPhase[], durationS = 0): { measure: Measure; times: number[] } => {
  const times: number[] = [];
  return {
    times,
    measure: async (_, atS) => {
      times.push(atS);
      return { phase: phases[Math.min(times.length - 1, phases.length - 1)], durationS };
    },
  };
};
const canary = (metrics: MetricPlan[]) => plan([
  step(0, 'setWeight 10', { weight: 10, share: 10 }),
  step(1, 'analysis t', { weight: 10, share: 10, metrics }),
  step(2, 'setWeight 50', { weight: 50, share: 50 }),
]);

describe('replayRelease', () => {
  test('GIVEN a healthy analysis WHEN replayed THEN the first measurement is a reconcile plus initialDelay in, each next one an interval later, then promotion', async () => {
    const { measure, times } = scripted(['Successful']);
    const result = await replayRelease(canary([metric()]), measure);
    expect(times).toEqual([26, 56, 86]);
    expect(result).toMatchObject({ verdict: 'Promoted', endS: 86 });
    expect(result.shares).toEqual([{ atS: 0, share: 0 }, { atS: 0, share: 10 }, { atS: 86, share: 50 }, { atS: 86, share: 100 }]);
  });

  test('GIVEN failureLimit 1 WHEN the first two measurements fail THEN the second failure aborts: failed > failureLimit', async () => {
    const { measure, times } = scripted(['Failed']);
    const result = await replayRelease(canary([metric({ failureLimit: 1 })]), measure);
    expect(times).toEqual([26, 56]);
    expect(result).toMatchObject({ verdict: 'Aborted', endS: 56, reason: 't/m: failed (2) > failureLimit (1)' });
    expect(Math.max(...result.shares.filter(s => s.atS <= result.endS).map(s => s.share))).toBe(10);
  });

  test('GIVEN Prometheus refusing WHEN replayed THEN errors retry every 10 s, do not count, and the fifth in a row aborts', async () => {
    const { measure, times } = scripted(['Error']);
    const result = await replayRelease(canary([metric()]), measure);
    expect(times).toEqual([26, 36, 46, 56, 66]);
    expect(result).toMatchObject({ verdict: 'Aborted', endS: 66, reason: 't/m: consecutive errors (5) > consecutiveErrorLimit (4)' });
  });

  test('GIVEN Prometheus hanging WHEN replayed THEN each try waits out the timeout before the 10 s retry', async () => {
    const { measure, times } = scripted(['Error'], 30);
    const result = await replayRelease(canary([metric()]), measure);
    expect(times).toEqual([26, 66, 106, 146, 186]);
    expect(result.endS).toBe(216);
  });

  test('GIVEN an error between successes WHEN replayed THEN the error resets nothing but its own streak, and the count still needs three good ones', async () => {
    const { measure, times } = scripted(['Successful', 'Error', 'Successful', 'Successful']);
    const result = await replayRelease(canary([metric()]), measure);
    expect(times).toEqual([26, 56, 66, 96]);
    expect(result).toMatchObject({ verdict: 'Promoted', endS: 96 });
  });

  test('GIVEN an inconclusive measurement WHEN replayed THEN the release pauses for a human', async () => {
    const { measure } = scripted(['Inconclusive']);
    expect(await replayRelease(canary([metric()]), measure)).toMatchObject({ verdict: 'Paused', endS: 26 });
  });

  test('GIVEN background analysis with a count WHEN replayed THEN it starts at its step beside a pause and, done, measures no more', async () => {
    const { measure, times } = scripted(['Successful']);
    const result = await replayRelease(plan([
      step(0, 'setWeight 20', { weight: 20, share: 20 }),
      step(1, 'pause 5m', { weight: 20, share: 20, durationS: 300 }),
    ], { startingStep: 0, metrics: [metric({ initialDelayS: 0, count: 2 })], externalTemplates: [] }), measure);
    expect(times).toEqual([1, 31]);
    expect(result).toMatchObject({ verdict: 'Promoted', endS: 300 });
  });

  test('GIVEN a failing background analysis WHEN replayed THEN it aborts the release mid-pause', async () => {
    const { measure } = scripted(['Successful', 'Failed']);
    const result = await replayRelease(plan([
      step(0, 'setWeight 20', { weight: 20, share: 20 }),
      step(1, 'pause 5m', { weight: 20, share: 20, durationS: 300 }),
    ], { startingStep: 0, metrics: [metric({ initialDelayS: 0, count: 5 })], externalTemplates: [] }), measure);
    expect(result).toMatchObject({ verdict: 'Aborted', endS: 31 });
  });
});
