import { VerdictRecord, VerdictRecords, digestOf } from './verdict-records';

/** What the verdicts say about the image pinned for a service in an environment. */
export interface PinStatus {
  /** verified, unverified, inconclusive, quarantined, aborted (reverted by hand), or pending (no verdict yet). */
  readonly state: 'verified' | 'unverified' | 'inconclusive' | 'quarantined' | 'aborted' | 'pending';
  /** When the verdict was given. */
  readonly at?: string;
  /** The AnalysisRun that decided it, for an abort or an inconclusive pause. */
  readonly analysisRun?: string;
  /** For a verified pin: milliseconds of soak left before it may be promoted (0 once soaked). */
  readonly soakRemainingMs?: number;
  /** The latest canary of the service there when it aborted on another digest, which the pin went back from. */
  readonly lastAbort?: { readonly image: string; readonly at: string; readonly quarantined: boolean; readonly analysisRun?: string };
}

/** The run an abort or a pause names: the first not Successful. */
function decidingRun(record: VerdictRecord): string | undefined {
  return record.analysisRuns.find(r => r.phase !== 'Successful')?.name;
}

/** The status of `image`, pinned for `service` in the environment whose verdicts are `verdicts`, at `now`, with its soak time. */
export function pinStatus(verdicts: VerdictRecords, service: string, image: string, soakMs: number, now: Date): PinStatus {
  const digest = digestOf(image);
  const records = verdicts.of(service).filter(r => r.outcome !== 'stale');
  const latest = [...records].reverse().find(r => digestOf(r.image) === digest);
  const newest = records[records.length - 1];
  const lastAbort = newest && newest.verdict === 'aborted' && digestOf(newest.image) !== digest
    ? { image: newest.image, at: newest.at, quarantined: newest.outcome === 'quarantined', ...(decidingRun(newest) ? { analysisRun: decidingRun(newest) } : {}) }
    : undefined;
  const extra = lastAbort ? { lastAbort } : {};
  if (!latest) return { state: 'pending', ...extra };
  const run = decidingRun(latest);
  switch (latest.outcome) {
    case 'verified':
      return { state: 'verified', at: latest.at, soakRemainingMs: Math.max(0, Date.parse(latest.at) + soakMs - now.getTime()), ...extra };
    case 'quarantined':
    case 'reverted':
      return { state: latest.outcome === 'quarantined' ? 'quarantined' : 'aborted', at: latest.at, ...(run ? { analysisRun: run } : {}), ...extra };
    default:
      return { state: latest.outcome as 'unverified' | 'inconclusive', at: latest.at, ...(run ? { analysisRun: run } : {}), ...extra };
  }
}

/** A status in one short phrase for a table: `verified 2026-12-03T09:00:00.000Z, soak 12 minutes left`. */
export function describePinStatus(status: PinStatus, humanDuration: (ms: number) => string): string {
  const run = status.analysisRun ? ` by ${status.analysisRun}` : '';
  const main = {
    verified: `verified ${status.at}, ${status.soakRemainingMs ? `soak ${humanDuration(status.soakRemainingMs)} left` : 'soaked'}`,
    unverified: `unverified (completed ${status.at} without every analysis Successful)`,
    inconclusive: `inconclusive${run} ${status.at}`,
    quarantined: `aborted and quarantined${run} ${status.at}`,
    aborted: `aborted ${status.at}, not quarantined`,
    pending: 'pending',
  }[status.state];
  const abort = status.lastAbort
    ? `; last canary ${digestOf(status.lastAbort.image).slice(0, 19)}… aborted ${status.lastAbort.at}${status.lastAbort.quarantined ? ` and quarantined by ${status.lastAbort.analysisRun ?? 'its analysis'}` : ''}`
    : '';
  return `${main}${abort}`;
}
