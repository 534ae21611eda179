import * as fs from 'fs';
import { BuildRecords } from '../delivery/pins';
import { synthFleet } from '../delivery/synth/synth-fleet';
import {
  AnalysisRunSummary, VERDICTS, Verdict, VerdictOutcome, VerdictRecord, VerdictRecords,
  digestOf, failedAnalysis, findQuarantine, parseVerdictIssue, stableImage,
} from '../delivery/verdicts';
import { fail } from '../lib/errors';
import { ImageRef } from '../lib/workload';
import { Fleet } from '../model';
import { Command, parseFlags, required } from './support/command';

const USAGE = 'npm run verdict -- --env ENV --service NAME --image IMAGE --verdict completed|aborted|inconclusive '
  + '[--analysis-run NAME] [--message TEXT] [--at ISO-TIME] [--analysis-runs-json FILE]';

/** A canary's verdict, from the command line or from a verdict request the infra workflow handles. */
export interface VerdictRequest {
  readonly environment: string;
  readonly service: string;
  /** The image the canary ran, digest-pinned. */
  readonly image: string;
  readonly verdict: Verdict;
  /** The AnalysisRuns of the canary's revision (the notification's `analysisRuns`), newest first. */
  readonly analysisRuns: readonly AnalysisRunSummary[];
  /** When the verdict was given, ISO 8601: a request's creation time in Forgejo, never a time its body claims. */
  readonly at: string;
  readonly message?: string;
}

/**
 * `npm run verdict`: records what a canary ended as in `releases/<env>.verdicts.json`, through the
 * locked crash-safe commit, and acts on it: an abort pins the stable image back (and quarantines the
 * digest when an analysis failed it), a completion with every analysis Successful verifies the digest
 * there, an inconclusive pause is recorded for people.
 */
export function verdictCommand(fleet: Fleet, root: string, argv: string[], now: Date = new Date()): string {
  const flags = parseFlags(argv, {
    'env': 'string', 'service': 'string', 'image': 'string', 'verdict': 'string',
    'analysis-run': 'string', 'message': 'string', 'at': 'string', 'analysis-runs-json': 'string',
  }, USAGE);
  const verdict = required(flags.verdict, 'verdict', USAGE);
  if (!(VERDICTS as readonly string[]).includes(verdict)) {
    fail({ at: 'verdict', field: '--verdict', value: verdict, rule: 'is not a verdict', fix: `use one of: ${VERDICTS.join(', ')}` });
  }
  const at = flags.at ?? now.toISOString();
  if (Number.isNaN(Date.parse(at))) fail({ at: 'verdict', field: '--at', value: at, rule: 'must be an ISO 8601 time', fix: 'e.g. --at 2026-12-03T09:00:00Z' });
  if (Date.parse(at) > now.getTime()) {
    fail({ at: 'verdict', field: '--at', value: at, rule: `is in the future (now is ${now.toISOString()})`, fix: 'give the time the canary ended, or leave --at out for now' });
  }
  const runs = flags['analysis-runs-json'] !== undefined
    ? readAnalysisRuns(flags['analysis-runs-json'])
    : flags['analysis-run'] !== undefined ? [{ name: flags['analysis-run'], phase: NAMED_RUN_PHASE[verdict as Verdict] }] : [];
  return recordVerdict(fleet, root, {
    environment: required(flags.env, 'env', USAGE),
    service: required(flags.service, 'service', USAGE),
    image: required(flags.image, 'image', USAGE),
    verdict: verdict as Verdict,
    analysisRuns: runs,
    at: new Date(Date.parse(at)).toISOString(),
    message: flags.message,
  });
}

/**
 * Records the verdict a cluster filed as a Forgejo issue (the notifications of
 * `charts/notifications-chart.ts`): the function the infra workflow's request handler calls for an
 * issue whose body starts with the verdict marker, once it has checked who filed it. The verdict's
 * time is the issue's creation time in Forgejo, never a time the body claims.
 *
 * @param issue the issue's `body` and `created_at`, as the Forgejo API or the `issues` event gives them
 * @returns what the command prints, ending with the commit trailers
 */
export function verdictFromRequest(
  fleet: Fleet, root: string, issue: { readonly body: string; readonly createdAt: string }, now: Date = new Date(),
): string {
  const filed = parseVerdictIssue(issue.body);
  const created = Date.parse(issue.createdAt);
  if (Number.isNaN(created) || created > now.getTime()) {
    fail({
      at: 'verdict request', field: 'created_at', value: issue.createdAt, rule: 'must be an ISO 8601 time, not in the future',
      fix: 'pass the issue\'s created_at as Forgejo gives it',
    });
  }
  return recordVerdict(fleet, root, { ...filed, at: new Date(created).toISOString() }, REQUEST_FIELDS);
}

/** Where a verdict's fields came from, as its errors name them: the command's flags, or the lines of a verdict request. */
interface VerdictFields {
  /** The command or the request, e.g. `verdict`. */
  readonly at: string;
  readonly environment: string;
  readonly service: string;
  readonly image: string;
}

const FLAGS: VerdictFields = { at: 'verdict', environment: '--env', service: '--service', image: '--image' };
/** A request has no flags: its errors name the lines of its body (`parseVerdictIssue`). */
const REQUEST_FIELDS: VerdictFields = { at: 'verdict request', environment: 'environment', service: 'service', image: 'image' };

/** The phase `--analysis-run NAME` alone stands for: the run the verdict names is the one that decided it. */
const NAMED_RUN_PHASE: Record<Verdict, string> = { completed: 'Successful', aborted: 'Failed', inconclusive: 'Inconclusive' };

/**
 * Records a verdict and acts on it, in one locked commit: the function the verdict command and the
 * infra workflow's request handler share. An unknown service or environment or a malformed image
 * fails before anything is read; the same verdict twice changes nothing.
 *
 * @param fields what the errors call the verdict's environment, service and image: flags, or a request's lines
 * @returns what the command prints, ending with the commit trailers
 */
export function recordVerdict(fleet: Fleet, root: string, request: VerdictRequest, fields: VerdictFields = FLAGS): string {
  const service = fleet.service(request.service, fields.service).name;
  const env = fleet.environment(request.environment, fields.environment).name;
  const image = ImageRef.parse(request.image, fields.at, fields.image);
  fleet.checkPin(env, service, image, fields.at, fields.image);
  const environments = fleet.environments.map(e => e.name);
  const digest = digestOf(image.toString());
  if (isRecorded(VerdictRecords.load(root, env), service, image, request)) return alreadyRecorded(service, env, digest, request);
  let trailers: string[] = [];
  const output = synthFleet(fleet, root, {
    command: 'verdict',
    edit: pins => {
      const verdicts = VerdictRecords.load(root, env);
      const current = pins.get(env, service);
      // A second command with the same verdict may have waited for the lock while the first recorded it.
      if (isRecorded(verdicts, service, image, request)) {
        const only = current ? { environment: env, service } : undefined;
        return { pins, extraFiles: new Map(), only, message: alreadyRecorded(service, env, digest, request) };
      }
      const failed = failedAnalysis(request.analysisRuns);
      const base = {
        image: image.toString(), verdict: request.verdict, at: request.at, analysisRuns: request.analysisRuns,
        ...(request.message ? { message: request.message } : {}),
      };
      trailers = [`Verdict: ${request.verdict}`, `Environment: ${env}`, `Service: ${service}`, `Image: ${image}`];
      if (!current || current.digest !== image.digest) {
        const record: VerdictRecord = { ...base, outcome: 'stale' };
        trailers.push('Verdict-Outcome: stale');
        return {
          pins, extraFiles: new Map([[verdicts.file, verdicts.with(service, record).render()]]),
          only: current ? { environment: env, service } : undefined,
          message: `recorded ${request.verdict} of ${service} in ${env} as stale: ${digest} is not pinned there${current ? ` (${current} is)` : ''}; no pin changed`,
        };
      }
      if (request.verdict !== 'aborted') {
        const completed = isVerified(request.analysisRuns) ? 'verified' : 'unverified';
        const outcome: VerdictOutcome = request.verdict === 'inconclusive' ? 'inconclusive' : completed;
        trailers.push(`Verdict-Outcome: ${outcome}`, ...request.analysisRuns.map(r => `Analysis-Run: ${r.name} ${r.phase}`));
        const said = {
          verified: `verified ${digest} in ${env} at ${request.at}: every AnalysisRun Successful (${request.analysisRuns.map(r => r.name).join(', ')})`,
          unverified: `recorded ${service}'s completion in ${env} as unverified: ${request.analysisRuns.length === 0 ? 'no AnalysisRun ran' : 'not every AnalysisRun was Successful'}`,
          inconclusive: `recorded ${service}'s canary in ${env} as inconclusive: the Rollout is paused, and a person promotes or aborts it`,
        }[outcome as 'verified' | 'unverified' | 'inconclusive'];
        const extraFiles = new Map([[verdicts.file, verdicts.with(service, { ...base, outcome }).render()]]);
        return { pins, extraFiles, only: { environment: env, service }, message: said };
      }
      const outcome: VerdictOutcome = failed ? 'quarantined' : 'reverted';
      const quarantined = (other: string) => findQuarantine(root, environments, other) !== undefined;
      const stable = stableImage(root, env, service, image.toString(), verdicts, quarantined);
      if (failed) {
        trailers.push(`Analysis-Run: ${failed.run}`);
        if (failed.metric) trailers.push(`Failed-Metric: ${failed.metric.name}`, `Metric-Value: ${failed.metric.value ?? 'unknown'}`);
        trailers.push(`Quarantined: ${digest}`);
      }
      const record: VerdictRecord = { ...base, outcome, ...(stable ? { revertedTo: stable.image } : {}) };
      const extraFiles = new Map([[verdicts.file, verdicts.with(service, record).render()]]);
      if (!stable) {
        trailers.push(`Verdict-Outcome: ${outcome}`);
        return {
          pins, extraFiles, only: { environment: env, service },
          message: `recorded the abort of ${service} in ${env}${failed ? ` and quarantined ${digest}` : ''}\n`
            + `warning: no stable image of ${service} in ${env} is known (no completed canary in ${verdicts.file}, no earlier pin in Git's history); `
            + `the pin still names the aborted image: pin the stable one with npm run rollback -- --service ${service} --env ${env} --to IMAGE`,
        };
      }
      const next = pins.with(env, service, ImageRef.parse(stable.image, verdicts.file, service));
      extraFiles.set(next.file(env), next.render(env));
      // The build record named the aborted image: without it, the next release of any build lands (as after a rollback).
      const builds = BuildRecords.load(root, env);
      if (builds.get(service)) extraFiles.set(builds.file, builds.without(service).render());
      trailers.push(`Reverted-From: ${image}`, `Reverted-To: ${stable.image}`, `Verdict-Outcome: ${outcome}`);
      return {
        pins: next, extraFiles, only: { environment: env, service },
        message: `reverted ${service} in ${env} after its canary aborted: ${image} → ${stable.image} (${stable.source})`
          + (failed ? `; quarantined ${digest}, failed by AnalysisRun ${failed.run}` : '; not quarantined: no analysis failed it'),
      };
    },
  });
  return [output, '', ...trailers].join('\n');
}

/** Completed with analysis, every run Successful: argo-rollouts sends `analysisRuns` of the current revision (utils/record/record.go `getAnalysisRunsFilterWithLabels`). */
function isVerified(runs: readonly AnalysisRunSummary[]): boolean {
  return runs.length > 0 && runs.every(r => r.phase === 'Successful');
}

/** Whether the same verdict about the same image with the same runs was recorded already (a notification may arrive twice). */
function isRecorded(verdicts: VerdictRecords, service: string, image: ImageRef, request: VerdictRequest): boolean {
  const key = (runs: readonly AnalysisRunSummary[]) => runs.map(r => `${r.name}=${r.phase}`).sort().join(',');
  return verdicts.of(service)
    .some(r => digestOf(r.image) === digestOf(image.toString()) && r.verdict === request.verdict
      && key(r.analysisRuns) === key(request.analysisRuns));
}

function alreadyRecorded(service: string, env: string, digest: string, request: VerdictRequest): string {
  return `nothing to do: the ${request.verdict} verdict of ${service} in ${env} for ${digest} is recorded already`;
}

/** The AnalysisRuns of `--analysis-runs-json`: a list of {name, phase, metrics?: [{name, phase, value?}]}. */
function readAnalysisRuns(file: string): AnalysisRunSummary[] {
  const shape = 'must be a JSON list of {name, phase, metrics?: [{name, phase, value?}]}';
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf-8'));
  } catch (e) {
    return fail({ at: 'verdict', field: '--analysis-runs-json', value: file, rule: `cannot be read as JSON (${(e as Error).message.split('\n')[0]})`, fix: shape.replace('must be', 'give') });
  }
  const isText = (v: unknown) => typeof v === 'string' && v !== '';
  const valid = Array.isArray(data) && data.every(run => {
    const r = run as { name?: unknown; phase?: unknown; metrics?: unknown };
    return typeof r === 'object' && r !== null && isText(r.name) && isText(r.phase)
      && (r.metrics === undefined || (Array.isArray(r.metrics) && r.metrics.every(m => {
        const metric = m as { name?: unknown; phase?: unknown; value?: unknown };
        return typeof metric === 'object' && metric !== null && isText(metric.name) && isText(metric.phase)
          && (metric.value === undefined || typeof metric.value === 'string');
      })));
  });
  if (!valid) fail({ at: 'verdict', field: '--analysis-runs-json', value: file, rule: shape, fix: 'write the runs of the notification\'s analysisRuns in that shape' });
  return data as AnalysisRunSummary[];
}

/** `npm run verdict`. */
export const VERDICT_COMMAND: Command = {
  name: 'verdict',
  summary: 'records a canary\'s verdict in one environment: an abort reverts the pin (and quarantines a digest an analysis failed), a completion verifies it',
  usage: USAGE,
  example: 'npm run verdict -- --env staging --service api --image ghcr.io/acme/api:1.4.2@sha256:9f2b8c4d1e6a7b3c5d8e9f0a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4 --verdict completed --analysis-run api-7d9f-2',
  run: ({ fleet, root }, argv) => verdictCommand(fleet(), root, argv),
};
