import type { IAnalysisTemplate } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/AnalysisTemplate';
import type { IClusterAnalysisTemplate } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/ClusterAnalysisTemplate';
import type { IRollout } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/Rollout';
import { REVIEWED_CONDITIONS_ANNOTATION } from '../../lib/analysis/analysis-template-base';
import { metricCanFail } from '../../lib/analysis/metric';
import { ERROR_COUNT_Z } from '../../lib/analysis/presets';
import { longestRangeSeconds } from '../../lib/analysis/promql';
import { Threshold } from '../../lib/analysis/threshold';
import { EXPECTED_RPS_ANNOTATION } from '../../lib/patterns/annotations';
import { acceptedRulesOf } from '../../lib/private/accepted-rules';
import { parseDurationSeconds } from '../../lib/private/durations';
import { ACCEPT_UNMEASURED_ANNOTATION } from '../../lib/rollout/canary-strategy';
import { replicaSplit, surgePods } from '../../lib/rollout/replica-share';
import { GATEWAY_API_PLUGIN } from '../../lib/rollout/traffic-router';
import { ServiceObjects, asKind } from './dist-objects';

/**
 * How long the Argo Rollouts v1.9.1 controller waits before retrying a measurement that errored
 * (analysis/analysis.go, DefaultErrorRetryInterval).
 */
export const ERROR_RETRY_SECONDS = 10;
/** A step's AnalysisRun starts one reconcile after the step before it completes; about a second. */
export const RECONCILE_SECONDS = 1;
/** The error rate of the spike the bounds are stated for. */
export const REFERENCE_ERROR_RATE = 0.2;
/** The scrape interval assumed where no PodMonitor states one: prometheus-operator's default. */
export const ASSUMED_SCRAPE_INTERVAL_SECONDS = 30;
/** How many times the errors a bound needs a window should expect, so that Poisson noise rarely hides a bad release. */
const POISSON_MARGIN = 2;
/** Zero errors in n requests bound the error rate below 3/n at 95% confidence (the rule of three). */
const RULE_OF_THREE = 3;
/** A rate window should span at least this many scrapes: rate() needs two samples, and one scrape may be missed. */
const SCRAPES_PER_WINDOW = 3;

/** The timing of one metric of an analysis, derived from its template. */
export interface MetricPlan {
  readonly template: string;
  readonly name: string;
  /** What measures it: `prometheus`, `web`, `job`, or another provider's key. */
  readonly provider: string;
  /** Whether bad measurements can fail it: not in dry-run, and a failure limit below its count (see metricCanFail). */
  readonly canFail: boolean;
  /** The PromQL query, args unsubstituted. */
  readonly query: string;
  /** The threshold its conditions render, or undefined for conditions this project did not render. */
  readonly threshold?: Threshold;
  readonly intervalS: number;
  readonly count: number;
  readonly failureLimit: number;
  readonly inconclusiveLimit: number;
  readonly consecutiveErrorLimit: number;
  readonly initialDelayS: number;
  /** The longest range selector of the query, e.g. 60 for `[1m]`. */
  readonly windowS: number;
  /** The lowest passing value when the metric is a success rate (`>= b` with b below 1). */
  readonly minSuccessRate?: number;
  /** The query timeout, in seconds. */
  readonly timeoutS: number;
  /** Time for all `count` measurements from the step's start: reconcile + initialDelay + (count − 1) × interval; Infinity without a count. */
  readonly durationS: number;
  /**
   * From the first request of a release that is bad from the start to the failing measurement: the
   * first measurement at reconcile + initialDelay + k × interval that comes at least 2 scrapes plus
   * ((1 − b) / e) × window after the start, plus failureLimit × interval; e is {@link REFERENCE_ERROR_RATE}.
   */
  readonly startDetectionS: number;
  /**
   * From the start of an error spike mid-analysis to the failing measurement, at worst:
   * (failureLimit + 1) × interval + 1 scrape + ((1 − b) / e) × window. The counters exist by then, so
   * the first scrape after the spike shows it (a new series needs two, which is why the start needs 2S),
   * and a measurement fails once enough of its window holds it.
   */
  readonly spikeDetectionS: number;
  /**
   * From Prometheus failing to the abort, at worst: it hangs just after a measurement, the next one
   * comes an interval later (or after initialDelay), and each of consecutiveErrorLimit + 1 tries waits
   * for the query timeout, with the 10 s error retry between them.
   */
  readonly errorAbortS: number;
}

/** One step of a Rollout's timeline. */
export interface StepPlan {
  readonly index: number;
  /** A one-line description, e.g. `setWeight 10` or `analysis api-canary`. */
  readonly action: string;
  /** The weight in effect during the step. */
  readonly weight: number;
  /** The real share of traffic, in percent: the weight with a router, the pod share without. */
  readonly share: number;
  readonly startS: number;
  /** The step's minimum duration; Infinity for a pause that waits for a human. */
  readonly durationS: number;
  /** The metrics an analysis step runs. */
  readonly metrics: readonly MetricPlan[];
  /** The metrics of an experiment step's analyses, which measure the experiment's own pods; one that fails aborts the rollout. */
  readonly experimentMetrics: readonly MetricPlan[];
  /** Templates the step runs that are not in `dist/` (they exist in the cluster), so their metrics are not known. */
  readonly externalTemplates: readonly string[];
}

/** The derived release plan of one Rollout. */
export interface RolloutPlan {
  readonly environment: string;
  readonly service: string;
  /** The traffic router, or undefined for a replica-based canary. */
  readonly router?: string;
  /** The replicas the shares are computed for (the autoscaler's minimum when it owns the count). */
  readonly replicas: number;
  readonly autoscaled: boolean;
  readonly steps: readonly StepPlan[];
  /** Background analysis, if any, with the step it starts at. */
  readonly background?: { readonly startingStep: number; readonly metrics: readonly MetricPlan[]; readonly externalTemplates: readonly string[] };
  /** The minimum time from the start of a release to full promotion; Infinity with a manual pause. */
  readonly promotionS: number;
  /** The highest real share of traffic reached before the first measurement can fail. */
  readonly exposure: { readonly weight: number; readonly share: number };
  /** The PodMonitor's scrape interval; {@link ASSUMED_SCRAPE_INTERVAL_SECONDS} is used for bounds without one. */
  readonly scrapeIntervalS?: number;
  readonly expectedRps?: number;
  /** Whether missing the progress deadline aborts the update (`spec.progressDeadlineAbort`). */
  readonly progressDeadlineAbort: boolean;
  /** Why weights without analysis are accepted (annotation {@link ACCEPT_UNMEASURED_ANNOTATION}). */
  readonly acceptedUnmeasured?: string;
  /** Metrics of the templates it runs whose conditions were written by hand, with the reason (annotation {@link REVIEWED_CONDITIONS_ANNOTATION}). */
  readonly reviewedConditions: readonly { readonly template: string; readonly metric: string; readonly reason: string }[];
  /**
   * Rules of the construct library the Rollout and the templates it runs opt out of, with the reason
   * (annotation `infra-delivery.io/accepted-rules`); `object` is `Rollout/<name>` or `<template>/<metric>`.
   */
  readonly acceptedRules: readonly { readonly object: string; readonly rule: string; readonly reason: string }[];
  readonly warnings: readonly string[];
}

type Metric = NonNullable<NonNullable<IAnalysisTemplate['spec']>['metrics']>[number];
type Canary = NonNullable<NonNullable<NonNullable<IRollout['spec']>['strategy']>['canary']>;
type TemplateRefs = {
  readonly templates?: readonly { readonly templateName?: string }[];
  readonly dryRun?: readonly { readonly metricName: string }[];
};

/**
 * Derives the release plan of every Rollout from synthesized objects alone: the timeline, the
 * worst-case detection time of each analysis, the traffic exposed before a measurement can fail,
 * and warnings where the numbers do not add up.
 */
export function planServices(folders: readonly ServiceObjects[]): RolloutPlan[] {
  const clusterTemplates = asKind(folders.flatMap(f => f.objects), 'ClusterAnalysisTemplate');
  return folders.map(folder => planRollout(folder, clusterTemplates)).filter((p): p is RolloutPlan => p !== undefined);
}

/**
 * The opt-outs of Rollouts that have no canary plan (blue-green), as plan lines: an unmeasured
 * auto-promotion (annotation {@link ACCEPT_UNMEASURED_ANNOTATION}), and the rules the Rollout and the
 * templates of its folder opt out of (annotation `infra-delivery.io/accepted-rules`).
 */
export function otherRolloutOptOuts(folders: readonly ServiceObjects[]): string[] {
  return folders.flatMap(folder => {
    const [rollout] = asKind(folder.objects, 'Rollout');
    if (!rollout || rollout.spec?.strategy?.canary) return [];
    const where = `${folder.environment}/${folder.service}`;
    const unmeasured = rollout.metadata?.annotations?.[ACCEPT_UNMEASURED_ANNOTATION];
    const templates = [...asKind(folder.objects, 'AnalysisTemplate')];
    const names = [rollout.spec?.strategy?.blueGreen?.prePromotionAnalysis, rollout.spec?.strategy?.blueGreen?.postPromotionAnalysis];
    const accepted = acceptedRulesIn(rollout, templates, names);
    return [
      ...unmeasured === undefined ? [] : [`${where}: promotes with no analysis measuring it; accepted: ${unmeasured}`],
      ...accepted.map(a => `${where} ${a.object}: opts out of the rule '${a.rule}'; accepted: ${a.reason}`),
    ];
  });
}

/** The plan of the Rollout in one Application folder, or undefined when it holds none. */
export function planRollout(folder: ServiceObjects, clusterTemplates: readonly IClusterAnalysisTemplate[] = []): RolloutPlan | undefined {
  const [rollout] = asKind(folder.objects, 'Rollout');
  const canary = rollout?.spec?.strategy?.canary;
  if (!rollout?.spec || !canary) return undefined;
  const templates: readonly (IAnalysisTemplate | IClusterAnalysisTemplate)[] = [...asKind(folder.objects, 'AnalysisTemplate'), ...clusterTemplates];
  const [podMonitor] = asKind(folder.objects, 'PodMonitor');
  const scrapeInterval = podMonitor?.spec?.podMetricsEndpoints?.[0]?.interval;
  const scrapeIntervalS = scrapeInterval === undefined ? undefined : parseDurationSeconds(scrapeInterval);
  const analysisOf = (analysis: TemplateRefs): { metrics: MetricPlan[]; externalTemplates: string[] } => {
    const refs = (analysis.templates ?? []).map(ref => ({ name: ref.templateName ?? '', template: templates.find(t => t.metadata?.name === ref.templateName) }));
    // The controller matches dry-run rules of the run and of every template as unanchored regexes (utils/analysis/helpers.go, GetDryRunMetrics).
    const dryRun = [...analysis.dryRun ?? [], ...refs.flatMap(r => r.template?.spec?.dryRun ?? [])].map(d => new RegExp(d.metricName));
    return {
      metrics: refs.flatMap(({ name, template }) => (template?.spec?.metrics ?? [])
        .map(m => metricPlan(name, m, scrapeIntervalS ?? ASSUMED_SCRAPE_INTERVAL_SECONDS, dryRun.some(d => d.test(m.name))))),
      externalTemplates: refs.filter(r => r.template === undefined).map(r => r.name),
    };
  };

  const [hpa] = asKind(folder.objects, 'HorizontalPodAutoscaler');
  const autoscaled = rollout.spec.replicas === undefined && hpa !== undefined;
  const replicas = rollout.spec.replicas ?? hpa?.spec?.minReplicas ?? 1;
  const router = routerOf(canary.trafficRouting);
  const surge = surgePods(replicas, canary.maxSurge ?? '25%');
  const shareOf = (weight: number) => (router ? weight : replicaSplit(replicas, weight, surge).share);

  const steps: StepPlan[] = [];
  let weight = 0;
  let clock = 0;
  (canary.steps ?? []).forEach((step, index) => {
    let action = Object.keys(step)[0];
    let durationS = 0;
    let metrics: MetricPlan[] = [];
    let experimentMetrics: MetricPlan[] = [];
    let externalTemplates: string[] = [];
    if (step.setWeight !== undefined) {
      weight = step.setWeight;
      action = `setWeight ${weight}`;
    } else if (step.pause) {
      durationS = step.pause.duration === undefined ? Infinity : parseDurationSeconds(step.pause.duration);
      action = durationS === Infinity ? 'pause until promoted by hand' : `pause ${formatDuration(durationS)}`;
    } else if (step.analysis) {
      ({ metrics, externalTemplates } = analysisOf(step.analysis));
      durationS = Math.max(0, ...metrics.map(m => m.durationS));
      action = `analysis ${(step.analysis.templates ?? []).map(t => t.templateName).join(', ')}`;
    } else if (step.experiment) {
      const { duration, analyses = [] } = step.experiment;
      ({ metrics: experimentMetrics, externalTemplates } = analysisOf({ templates: analyses }));
      // Without a duration or an analysis to wait for, the experiment runs until the Rollout is promoted past it (utils/experiment/experiment.go).
      const waited = analyses.filter(a => a.requiredForCompletion).map(a => a.templateName);
      durationS = duration !== undefined ? parseDurationSeconds(duration)
        : waited.length ? Math.max(0, ...experimentMetrics.filter(m => waited.includes(m.template)).map(m => m.durationS)) : Infinity;
      action = durationS === Infinity ? 'experiment until promoted by hand' : `experiment ${formatDuration(durationS)}`;
    }
    steps.push({ index, action, weight, share: shareOf(weight), startS: clock, durationS, metrics, experimentMetrics, externalTemplates });
    clock += durationS;
  });
  // The controller starts background analysis at step 0 unless told otherwise.
  const background = canary.analysis
    ? { startingStep: canary.analysis.startingStep ?? 0, ...analysisOf(canary.analysis) }
    : undefined;

  const rps = Number(rollout.metadata?.annotations?.[EXPECTED_RPS_ANNOTATION]);
  const plan = {
    environment: folder.environment,
    service: folder.service,
    router,
    replicas,
    autoscaled,
    steps,
    background,
    promotionS: clock,
    exposure: exposureOf(steps, background?.startingStep, shareOf),
    scrapeIntervalS,
    expectedRps: Number.isFinite(rps) && rps > 0 ? rps : undefined,
    progressDeadlineAbort: rollout.spec.progressDeadlineAbort === true,
    acceptedUnmeasured: rollout.metadata?.annotations?.[ACCEPT_UNMEASURED_ANNOTATION],
    reviewedConditions: reviewedConditionsOf(templates, [...(canary.steps ?? []).map(s => s.analysis), canary.analysis]),
    acceptedRules: acceptedRulesIn(rollout, templates, [
      ...(canary.steps ?? []).map(s => s.analysis), canary.analysis,
      ...(canary.steps ?? []).map(s => s.experiment && { templates: s.experiment.analyses }),
    ]),
  };
  return { ...plan, warnings: warningsOf(plan) };
}

/**
 * The timing of one template metric, as the Argo Rollouts v1.9.1 controller schedules it
 * (analysis/analysis.go: the first measurement after initialDelay, each next one an interval after
 * the previous finished, errors retried every 10 s; failed > failureLimit fails the run). Its
 * success-rate bound is read back through {@link Threshold.fromCondition}.
 *
 * @param scrapeIntervalS how often the metrics the query reads are scraped
 */
export function metricPlan(template: string, metric: Metric, scrapeIntervalS = ASSUMED_SCRAPE_INTERVAL_SECONDS, dryRun = false): MetricPlan {
  const intervalS = metric.interval === undefined ? 0 : parseDurationSeconds(metric.interval);
  // With an interval and no count, a metric runs until the rollout ends it; with neither, once.
  const count = metric.count !== undefined ? Number(metric.count) : metric.interval !== undefined ? Infinity : 1;
  const failureLimit = Number(metric.failureLimit ?? 0);
  const consecutiveErrorLimit = Number(metric.consecutiveErrorLimit ?? 4);
  const initialDelayS = metric.initialDelay === undefined ? 0 : parseDurationSeconds(metric.initialDelay);
  const timeoutS = Number(metric.provider?.prometheus?.timeout ?? 30);
  const windowS = longestRangeSeconds(metric.provider?.prometheus?.query ?? '');
  const threshold = Threshold.fromCondition(metric.successCondition, metric.failureCondition);
  const minSuccessRate = threshold?.operator === '>=' && threshold.bound > 0 && threshold.bound < 1 ? threshold.bound : undefined;
  // The share of the window a spike must fill before the measurement fails (latency: its 1% tail).
  const fill = ((1 - (minSuccessRate ?? 0.99)) / REFERENCE_ERROR_RATE) * windowS;
  // The canary's series are new when the release starts: rate() returns them after two scrapes.
  const visibleAtStart = 2 * scrapeIntervalS + fill;
  const firstFailing = initialDelayS + Math.max(0, intervalS > 0 ? Math.ceil((visibleAtStart - initialDelayS) / intervalS) : 0) * intervalS;
  return {
    template,
    name: metric.name,
    provider: Object.keys(metric.provider ?? {})[0] ?? 'none',
    canFail: metricCanFail({ failureLimit, count, dryRun }),
    query: metric.provider?.prometheus?.query ?? '',
    threshold,
    intervalS,
    count,
    failureLimit,
    inconclusiveLimit: Number(metric.inconclusiveLimit ?? 0),
    consecutiveErrorLimit,
    initialDelayS,
    windowS,
    minSuccessRate,
    timeoutS,
    durationS: RECONCILE_SECONDS + initialDelayS + (count - 1) * intervalS,
    startDetectionS: RECONCILE_SECONDS + firstFailing + failureLimit * intervalS,
    spikeDetectionS: (failureLimit + 1) * intervalS + scrapeIntervalS + fill,
    errorAbortS: RECONCILE_SECONDS + Math.max(initialDelayS, intervalS)
      + (consecutiveErrorLimit + 1) * timeoutS + consecutiveErrorLimit * ERROR_RETRY_SECONDS,
  };
}

/** The abort bounds of an analysis that runs `metrics` together. */
export interface AbortBounds {
  /** From the first request of a bad release; undefined when no metric is a success rate, which errors fail. */
  readonly startS?: number;
  /** From the start of an error spike mid-analysis; likewise. */
  readonly spikeS?: number;
  /** From Prometheus failing: the first metric past its consecutiveErrorLimit ends the run. */
  readonly prometheusDownS?: number;
}

/**
 * The errors a window must hold before the presets' confidence bound (errors − z·√errors) can exceed
 * the share 1 − b allows, at error rate e: √E > z / (1 − (1 − b) / e).
 */
export function errorsToFail(minSuccessRate: number, errorRate = REFERENCE_ERROR_RATE): number {
  const root = ERROR_COUNT_Z / (1 - (1 - minSuccessRate) / errorRate);
  return root * root;
}

/**
 * The abort bounds of an analysis step: any failed metric fails the run, so the fastest success-rate
 * metric decides. Where the declared traffic gives a window fewer than twice the errors the confidence
 * bound needs, a 20% error rate is caught only by chance, and no detection time is stated.
 */
export function abortBounds(step: Pick<StepPlan, 'metrics' | 'share'>, expectedRps?: number): AbortBounds {
  const rates = step.metrics.filter(m => m.minSuccessRate !== undefined && detectable(m, step.share, expectedRps));
  const fastest = (values: number[]) => (values.length ? Math.min(...values) : undefined);
  return {
    startS: fastest(rates.map(m => m.startDetectionS)),
    spikeS: fastest(rates.map(m => m.spikeDetectionS)),
    prometheusDownS: fastest(step.metrics.map(m => m.errorAbortS)),
  };
}

/** Whether a window at this share holds enough errors of a bad release for the bound to fail it. */
function detectable(metric: MetricPlan, sharePct: number, expectedRps: number | undefined): boolean {
  if (expectedRps === undefined || metric.minSuccessRate === undefined) return true;
  const errors = expectedRps * (sharePct / 100) * metric.windowS * REFERENCE_ERROR_RATE;
  return errors >= POISSON_MARGIN * errorsToFail(metric.minSuccessRate);
}

/** `90` → `1m 30s`; Infinity → `∞`. */
export function formatDuration(totalSeconds: number): string {
  if (totalSeconds === Infinity) return '∞';
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = Math.round(totalSeconds % 60);
  return [h && `${h}h`, m && `${m}m`, s && `${s}s`].filter(Boolean).join(' ') || '0s';
}

function routerOf(trafficRouting: Canary['trafficRouting']): string | undefined {
  if (!trafficRouting) return undefined;
  if (trafficRouting.istio) return 'istio';
  if (trafficRouting.nginx) return 'ingress-nginx';
  if (GATEWAY_API_PLUGIN in (trafficRouting.plugins ?? {})) return 'gateway api';
  return Object.keys(trafficRouting).find(k => k !== 'managedRoutes' && k !== 'maxTrafficWeight') ?? 'router';
}

/**
 * The highest share set before the first measurement: weights of the steps before the first analysis
 * step, and up to and including the step background analysis starts at. Without any, everything.
 */
function exposureOf(steps: StepPlan[], backgroundStart: number | undefined, shareOf: (w: number) => number): { weight: number; share: number } {
  const firstAnalysis = steps.find(canFailAnalysis)?.index ?? Infinity;
  const unmeasured = steps.filter(s => s.index < firstAnalysis && (backgroundStart === undefined || s.index <= backgroundStart));
  if (firstAnalysis === Infinity && backgroundStart === undefined) return { weight: 100, share: 100 };
  const weight = Math.max(0, ...unmeasured.map(s => s.weight));
  return { weight, share: shareOf(weight) };
}

/** The hand-written conditions of the templates the analyses run, read from {@link REVIEWED_CONDITIONS_ANNOTATION}. */
function reviewedConditionsOf(
  templates: readonly (IAnalysisTemplate | IClusterAnalysisTemplate)[],
  analyses: readonly (TemplateRefs | undefined)[],
): RolloutPlan['reviewedConditions'] {
  const names = new Set(analyses.flatMap(a => a?.templates ?? []).map(t => t.templateName));
  return templates.filter(t => names.has(t.metadata?.name)).flatMap(t => {
    const annotation = t.metadata?.annotations?.[REVIEWED_CONDITIONS_ANNOTATION];
    const reasons: Record<string, string> = annotation ? JSON.parse(annotation) : {};
    return Object.entries(reasons).map(([metric, reason]) => ({ template: t.metadata?.name ?? '', metric, reason }));
  });
}

/** The opt-outs of the Rollout and of the templates its analyses run, read from their accepted-rules annotations. */
function acceptedRulesIn(
  rollout: IRollout,
  templates: readonly (IAnalysisTemplate | IClusterAnalysisTemplate)[],
  analyses: readonly (TemplateRefs | undefined)[],
): RolloutPlan['acceptedRules'] {
  const own = Object.entries(acceptedRulesOf(rollout.metadata?.annotations))
    .map(([rule, reason]) => ({ object: `Rollout/${rollout.metadata?.name ?? ''}`, rule, reason }));
  const names = new Set(analyses.flatMap(a => a?.templates ?? []).map(t => t.templateName));
  // Template opt-outs are keyed `<metric>/<rule>`.
  const ofTemplates = templates.filter(t => names.has(t.metadata?.name)).flatMap(t => {
    const name = t.metadata?.name ?? '';
    return Object.entries(acceptedRulesOf(t.metadata?.annotations))
      .map(([key, reason]) => ({ object: `${name}/${key.slice(0, key.lastIndexOf('/'))}`, rule: key.slice(key.lastIndexOf('/') + 1), reason }));
  });
  return [...own, ...ofTemplates];
}

/** Whether an analysis (or an experiment's) can fail the canary: a metric that can fail, or a template not in `dist/`, which is trusted to. */
function canFailAnalysis(analysis: Pick<StepPlan, 'metrics' | 'externalTemplates'> & Partial<Pick<StepPlan, 'experimentMetrics'>>): boolean {
  return analysis.externalTemplates.length > 0 || [...analysis.metrics, ...analysis.experimentMetrics ?? []].some(m => m.canFail);
}

function warningsOf(plan: Omit<RolloutPlan, 'warnings'>): string[] {
  const warnings: string[] = [];
  const { steps, background } = plan;
  const backgroundDetection = background && Math.max(0, ...background.metrics.map(m => m.spikeDetectionS));
  // Background analysis with a count ends Successful after its last measurement and is not started
  // again, so it covers only the steps that begin before then (analysis/analysis.go); without a count it runs to the end.
  const backgroundStart = background && steps[background.startingStep]?.startS;
  const backgroundEnd = background && backgroundStart !== undefined
    ? backgroundStart + (background.externalTemplates.length ? Infinity : Math.max(0, ...background.metrics.map(m => m.durationS)))
    : -Infinity;
  const covered = (index: number) => background !== undefined && canFailAnalysis(background)
    && index >= background.startingStep && steps[index].startS < backgroundEnd!;

  steps.forEach((step, i) => {
    if (step.action.startsWith('pause ') && step.durationS !== Infinity && covered(i) && backgroundDetection! > step.durationS) {
      warnings.push(`steps[${i}]: the ${formatDuration(step.durationS)} pause is shorter than the ${formatDuration(backgroundDetection!)} background analysis needs to catch an error spike, so the next step starts unjudged`);
    }
    if (step.action.startsWith('setWeight') && step.weight > 0) {
      const next = steps.findIndex((s, j) => j > i && s.action.startsWith('setWeight'));
      const span = steps.slice(i, next === -1 ? undefined : next);
      if (!span.some(s => canFailAnalysis(s) || covered(s.index))) {
        const manual = span.find(s => s.durationS === Infinity);
        const gate = manual ? `; ${manual.action.startsWith('experiment') ? 'an open-ended experiment' : 'a manual pause'} holds it for a person to judge`
          : plan.acceptedUnmeasured === undefined ? '' : `; accepted: ${plan.acceptedUnmeasured}`;
        warnings.push(`steps[${i}]: weight ${step.weight} takes traffic with no analysis running before the next weight or the promotion${gate}`);
      }
    }
  });

  const measured = [...steps.map(s => ({ ...s, where: `steps[${s.index}]` })), ...background ? [{ ...background, where: 'background analysis' }] : []];
  const seen = new Set<string>();
  for (const { metrics, externalTemplates, where } of measured) {
    for (const template of externalTemplates) {
      warnings.push(`${where}: analysis template ${template} is not in dist/ (it exists in the cluster), so its metrics and detection times are not checked here`);
    }
    for (const m of metrics) {
      const key = `${m.template}/${m.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (!m.canFail) {
        const why = m.failureLimit >= m.count ? `its failureLimit of ${m.failureLimit} is not below its count of ${m.count}` : 'it runs in dry-run';
        warnings.push(`${key}: can never fail the rollout: ${why} (${where})`);
      }
      if (m.windowS > m.intervalS && m.failureLimit > 0) {
        warnings.push(`${key}: the ${formatDuration(m.windowS)} rate window is longer than the ${formatDuration(m.intervalS)} interval, so one spike fails several measurements and spends the failureLimit of ${m.failureLimit} (${where})`);
      }
      if (plan.scrapeIntervalS && m.windowS < SCRAPES_PER_WINDOW * plan.scrapeIntervalS) {
        warnings.push(`${key}: the ${formatDuration(m.windowS)} rate window spans fewer than ${SCRAPES_PER_WINDOW} scrapes of ${formatDuration(plan.scrapeIntervalS)}, so rate() is noisy or empty`);
      }
    }
  }

  for (const review of plan.reviewedConditions) warnings.push(`${review.template}/${review.metric}: conditions written by hand; accepted: ${review.reason}`);
  for (const accepted of plan.acceptedRules) warnings.push(`${accepted.object}: opts out of the rule '${accepted.rule}'; accepted: ${accepted.reason}`);
  if (background && Number.isFinite(backgroundEnd) && backgroundEnd! < plan.promotionS) {
    warnings.push(`background analysis ends Successful after ${formatDuration(backgroundEnd!)} and is not started again, but promotion comes at ${formatDuration(plan.promotionS)}: what runs after it is not measured`);
  }
  // The controller's default is off: missing the deadline only marks the Rollout Degraded (rollout/sync.go, evaluateProgressDeadlineAbort).
  if (!plan.progressDeadlineAbort) {
    warnings.push('progressDeadlineAbort is off: a canary whose pods never become ready keeps its step\'s weight, Degraded, until someone aborts it');
  }
  // Analysis and pause steps never time out against progressDeadlineSeconds (rollout/sync.go, isIndefiniteStep).
  if (!plan.router) {
    const first = steps.find(s => s.action.startsWith('setWeight') && s.weight > 0 && s.weight < 100);
    if (first && first.share > first.weight + 0.5) {
      const needed = replicasForShare(first.weight);
      warnings.push(`steps[${first.index}]: setWeight ${first.weight} sends ${Math.round(first.share)}% of traffic to the canary with ${plan.replicas} replicas, not ${first.weight}%; ${needed ? `${needed} replicas or ` : ''}a traffic router would meet ${first.weight}%`);
    }
  }

  for (const step of steps) {
    for (const m of step.metrics.filter(x => x.minSuccessRate !== undefined)) {
      if (plan.expectedRps === undefined) continue;
      const needed = Math.ceil(RULE_OF_THREE / (1 - m.minSuccessRate!));
      const perWindow = plan.expectedRps * (step.share / 100) * m.windowS;
      if (perWindow < needed) {
        warnings.push(`steps[${step.index}] ${m.template}/${m.name}: about ${Math.floor(perWindow)} canary requests per ${formatDuration(m.windowS)} window at ${Math.round(step.share)}% of ${plan.expectedRps} rps; judging a ${m.minSuccessRate} success rate needs about ${needed} (3 / ${+(1 - m.minSuccessRate!).toFixed(6)})`);
      }
      if (!detectable(m, step.share, plan.expectedRps)) {
        warnings.push(`steps[${step.index}] ${m.template}/${m.name}: a ${REFERENCE_ERROR_RATE * 100}% error rate gives about ${Math.floor(perWindow * REFERENCE_ERROR_RATE)} errors per window, `
          + `fewer than the ${Math.ceil(POISSON_MARGIN * errorsToFail(m.minSuccessRate!))} that fail it reliably, so no detection time is stated; more traffic or a longer window would`);
      }
    }
  }
  if (plan.expectedRps === undefined && steps.some(s => s.metrics.some(m => m.minSuccessRate !== undefined))) {
    warnings.push(`no expected request rate is declared (annotation ${EXPECTED_RPS_ANNOTATION}), so whether each window holds enough requests cannot be checked`);
  }
  return warnings;
}

/** The fewest replicas whose canary share at `weight` rounds to the weight, without a router; undefined past 100. */
function replicasForShare(weight: number): number | undefined {
  for (let replicas = 1; replicas <= 100; replicas++) {
    if (Math.round(replicaSplit(replicas, weight, surgePods(replicas, '25%')).share) <= weight) return replicas;
  }
  return undefined;
}
