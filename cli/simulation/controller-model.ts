import { ERROR_RETRY_SECONDS, MetricPlan, RECONCILE_SECONDS, RolloutPlan } from '../../delivery/plan';

/** The phase of one measurement, as the Argo Rollouts controller records it. */
export type MeasurementPhase = 'Successful' | 'Failed' | 'Inconclusive' | 'Error';

/** One measurement's outcome, and how long the query took. */
export interface MeasurementResult {
  readonly phase: MeasurementPhase;
  readonly durationS: number;
}

/** Takes one measurement of `metric` at `atS` seconds after the release started. */
export type Measure = (metric: MetricPlan, atS: number) => Promise<MeasurementResult>;

/** One measurement as the replay took it. */
export interface ReplayMeasurement {
  readonly atS: number;
  readonly metric: string;
  readonly phase: MeasurementPhase;
}

/** How a replayed release ended. */
export interface ReplayResult {
  /** Promoted fully, aborted (traffic back to stable), or paused for a human by an inconclusive run. */
  readonly verdict: 'Promoted' | 'Aborted' | 'Paused';
  /** Seconds from the start of the release to the promotion, the abort or the pause. */
  readonly endS: number;
  /** The canary's share of traffic, in percent, from each time on. */
  readonly shares: readonly { readonly atS: number; readonly share: number }[];
  readonly measurements: readonly ReplayMeasurement[];
  /** Why the release stopped early. */
  readonly reason?: string;
}

/**
 * One AnalysisRun on the v1.9.1 controller's schedule (analysis/analysis.go): a metric's first
 * measurement runs `initialDelay` after the run started, each next one an interval after the previous
 * one finished, or 10 s after an error; errors do not count towards `count`. A metric fails once
 * failed > failureLimit, pauses once inconclusive > inconclusiveLimit, errors once consecutive errors
 * > consecutiveErrorLimit; any of those ends the whole run (utils/analysis/helpers.go, IsTerminating).
 */
class AnalysisRun {
  private readonly states: {
    readonly metric: MetricPlan;
    next: number;
    taken: number;
    failed: number;
    inconclusive: number;
    consecutiveErrors: number;
    done: boolean;
  }[];
  /** The run's outcome once it has one, and when. */
  public outcome?: { readonly phase: 'Successful' | 'Failed' | 'Inconclusive' | 'Error'; readonly atS: number; readonly reason?: string };

  constructor(public readonly label: string, metrics: readonly MetricPlan[], startedAtS: number) {
    this.states = metrics.map(metric => ({
      metric, next: startedAtS + metric.initialDelayS, taken: 0, failed: 0, inconclusive: 0, consecutiveErrors: 0, done: false,
    }));
    if (metrics.length === 0) this.outcome = { phase: 'Successful', atS: startedAtS };
  }

  /** When the next measurement is due; Infinity once the run has an outcome. */
  public get nextAtS(): number {
    return this.outcome ? Infinity : Math.min(...this.states.filter(s => !s.done).map(s => s.next));
  }

  /** Takes every measurement due at `atS`. */
  public async step(atS: number, measure: Measure, record: (m: ReplayMeasurement) => void): Promise<void> {
    for (const state of this.states.filter(s => !s.done && s.next === atS)) {
      const { phase, durationS } = await measure(state.metric, atS);
      const finished = atS + durationS;
      record({ atS: finished, metric: `${state.metric.template}/${state.metric.name}`, phase });
      const { metric } = state;
      if (phase === 'Error') {
        state.consecutiveErrors += 1;
      } else {
        state.consecutiveErrors = 0;
        state.taken += 1;
        if (phase === 'Failed') state.failed += 1;
        if (phase === 'Inconclusive') state.inconclusive += 1;
      }
      state.next = finished + (phase === 'Error' ? ERROR_RETRY_SECONDS : metric.intervalS);
      const name = `${metric.template}/${metric.name}`;
      if (metric.failureLimit >= 0 && state.failed > metric.failureLimit) {
        this.outcome = { phase: 'Failed', atS: finished, reason: `${name}: failed (${state.failed}) > failureLimit (${metric.failureLimit})` };
      } else if (state.inconclusive > metric.inconclusiveLimit) {
        this.outcome = { phase: 'Inconclusive', atS: finished, reason: `${name}: inconclusive (${state.inconclusive}) > inconclusiveLimit (${metric.inconclusiveLimit})` };
      } else if (state.consecutiveErrors > metric.consecutiveErrorLimit) {
        this.outcome = { phase: 'Error', atS: finished, reason: `${name}: consecutive errors (${state.consecutiveErrors}) > consecutiveErrorLimit (${metric.consecutiveErrorLimit})` };
      }
      if (this.outcome) return;
      if (state.taken >= metric.count) state.done = true;
    }
    if (this.states.every(s => s.done)) this.outcome = { phase: 'Successful', atS };
  }
}

/**
 * Replays a Rollout's release through the Argo Rollouts v1.9.1 controller's schedule: setWeight takes
 * effect at once (the canary pods are ready), a pause waits its duration (a manual pause is promoted
 * by hand at once), a step's AnalysisRun starts one reconcile after the step before it and the next
 * step as soon as the run succeeded, background analysis runs from its starting step beside
 * the steps until its count is done. A failed or errored run aborts the release; an inconclusive one
 * pauses it. Time is virtual: `measure` decides how long each query takes.
 */
export async function replayRelease(plan: RolloutPlan, measure: Measure): Promise<ReplayResult> {
  const shares: { atS: number; share: number }[] = [{ atS: 0, share: 0 }];
  const measurements: ReplayMeasurement[] = [];
  const record = (m: ReplayMeasurement) => measurements.push(m);
  let now = 0;
  let stepIndex = 0;
  let stepRun: AnalysisRun | undefined;
  let pauseUntil: number | undefined;
  let background: AnalysisRun | undefined;
  const stopped = (run: AnalysisRun): ReplayResult | undefined => {
    const outcome = run.outcome;
    if (!outcome || outcome.phase === 'Successful') return undefined;
    return { verdict: outcome.phase === 'Inconclusive' ? 'Paused' : 'Aborted', endS: outcome.atS, shares, measurements, reason: outcome.reason };
  };

  for (;;) {
    // Advance through the steps that complete at once.
    while (stepIndex < plan.steps.length && !stepRun && pauseUntil === undefined) {
      if (plan.background && stepIndex === plan.background.startingStep && !background) {
        background = new AnalysisRun('background', plan.background.metrics, now + RECONCILE_SECONDS);
      }
      const step = plan.steps[stepIndex];
      if (step.metrics.length > 0) {
        stepRun = new AnalysisRun(`steps[${stepIndex}]`, step.metrics, now + RECONCILE_SECONDS);
      } else if (step.durationS > 0 && Number.isFinite(step.durationS)) {
        pauseUntil = now + step.durationS;
      } else {
        if (step.action.startsWith('setWeight')) shares.push({ atS: now, share: step.share });
        stepIndex += 1;
      }
    }
    const next = Math.min(stepRun?.nextAtS ?? Infinity, background?.nextAtS ?? Infinity, pauseUntil ?? Infinity);
    if (stepIndex >= plan.steps.length && !stepRun && pauseUntil === undefined) {
      shares.push({ atS: now, share: 100 });
      return { verdict: 'Promoted', endS: now, shares, measurements };
    }
    if (next === Infinity) {
      // Only a background analysis that is done is left: the steps are waiting on nothing.
      throw new Error(`replay of ${plan.environment}/${plan.service} is stuck at steps[${stepIndex}]`);
    }
    now = next;
    if (background && background.nextAtS === now) {
      await background.step(now, measure, record);
      const stop = stopped(background);
      if (stop) return stop;
    }
    if (stepRun && stepRun.nextAtS === now) {
      await stepRun.step(now, measure, record);
      const stop = stopped(stepRun);
      if (stop) return stop;
      if (stepRun.outcome) {
        // The run's completion is an event the rollout controller acts on at once.
        pauseUntil = stepRun.outcome.atS;
        stepRun = undefined;
      }
    }
    if (pauseUntil !== undefined && pauseUntil <= now) {
      pauseUntil = undefined;
      stepIndex += 1;
    }
  }
}
