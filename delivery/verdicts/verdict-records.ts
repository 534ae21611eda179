import * as fs from 'fs';
import * as path from 'path';
import { fail } from '../../lib/errors/problem';
import { Layout } from '../../model/layout';

/** What the canary of a release ended as, in the words of the Argo Rollouts notification that said so. */
export type Verdict = 'completed' | 'aborted' | 'inconclusive';

/** Every verdict, in the order `--verdict` lists them. */
export const VERDICTS: readonly Verdict[] = ['completed', 'aborted', 'inconclusive'];

/**
 * What a recorded verdict did:
 * - `verified`: completed, and every AnalysisRun of the revision was Successful;
 * - `unverified`: completed without analysis (a first deploy, a person's full promotion) or with one not Successful;
 * - `quarantined`: aborted by a failed analysis; the pin went back to stable and the digest is refused everywhere;
 * - `reverted`: aborted without a failed analysis (a person's abort, a progress deadline); the pin went back, no quarantine;
 * - `inconclusive`: paused on an inconclusive analysis; nothing changed, people decide;
 * - `stale`: about a digest no longer pinned there; nothing changed.
 */
export type VerdictOutcome = 'verified' | 'unverified' | 'quarantined' | 'reverted' | 'inconclusive' | 'stale';

/** One metric of an AnalysisRun, as the notification gives it. */
export interface MetricSummary {
  readonly name: string;
  /** Successful, Failed, Error, Inconclusive, Running, Pending. */
  readonly phase: string;
  /** The last measurement's value, e.g. `[0.93]`. */
  readonly value?: string;
}

/** One AnalysisRun of the canary's revision, as the notification's `analysisRuns` variable gives it. */
export interface AnalysisRunSummary {
  readonly name: string;
  /** The run's `status.phase`: Successful, Failed, Error, Inconclusive, Running, Pending. */
  readonly phase: string;
  readonly metrics?: readonly MetricSummary[];
}

/** One verdict as `releases/<env>.verdicts.json` holds it. */
export interface VerdictRecord {
  /** The image the canary ran, digest-pinned. */
  readonly image: string;
  readonly verdict: Verdict;
  /** When the verdict was given, ISO 8601 (the request's creation time, or `--at`). */
  readonly at: string;
  readonly outcome: VerdictOutcome;
  readonly analysisRuns: readonly AnalysisRunSummary[];
  /** The image the pin went back to, for an abort. */
  readonly revertedTo?: string;
  readonly message?: string;
}

/** Analysis phases that abort a Rollout: Failed and Error (argo-rollouts v1.9.1 rollout/analysis.go, `reconcileStepBasedAnalysisRun`). */
const FAILING_PHASES = new Set(['Failed', 'Error']);

/** The run and metric that failed a canary, with the metric's last value: what an abort's trailers name. */
export function failedAnalysis(runs: readonly AnalysisRunSummary[]): { run: string; metric?: MetricSummary } | undefined {
  const run = runs.find(r => FAILING_PHASES.has(r.phase));
  if (!run) return undefined;
  return { run: run.name, metric: run.metrics?.find(m => FAILING_PHASES.has(m.phase)) };
}

/** The digest of a digest-pinned ref (`sha256:…`), or the ref itself when it has none. */
export function digestOf(image: string): string {
  const at = image.lastIndexOf('@');
  return at === -1 ? image : image.slice(at + 1);
}

/**
 * The canaries' verdicts of one environment, `releases/<env>.verdicts.json`: per service, every
 * verdict in the order recorded, with what it did to the pin. Read and written like the build records.
 */
export class VerdictRecords {
  /** The verdicts of `environment` under `root`; none when the file is missing. */
  public static load(root: string, environment: string): VerdictRecords {
    const file = Layout.verdictsFile(environment);
    if (!fs.existsSync(path.join(root, file))) return new VerdictRecords(file, new Map());
    let data: unknown;
    try {
      data = JSON.parse(fs.readFileSync(path.join(root, file), 'utf-8'));
    } catch (e) {
      return fail({ at: file, field: 'content', value: (e as Error).message, rule: 'is not valid json', fix: `restore it with 'git checkout -- ${file}'` });
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      fail({ at: file, field: 'content', value: data, rule: 'must be an object of service name to a list of verdicts', fix: `restore it with 'git checkout -- ${file}'` });
    }
    const records = new Map<string, readonly VerdictRecord[]>();
    for (const [service, list] of Object.entries(data as Record<string, unknown>)) {
      if (!Array.isArray(list) || !list.every(isVerdictRecord)) {
        fail({
          at: file, field: service, value: list,
          rule: 'must be a list of {image, verdict, at, outcome, analysisRuns} with an ISO 8601 time', fix: `restore it with 'git checkout -- ${file}'`,
        });
      }
      records.set(service, list);
    }
    return new VerdictRecords(file, records);
  }

  private constructor(
    /** The file's path relative to the repository root. */
    public readonly file: string,
    private readonly records: ReadonlyMap<string, readonly VerdictRecord[]>,
  ) {}

  /** A service's verdicts, oldest first. */
  public of(service: string): readonly VerdictRecord[] {
    return this.records.get(service) ?? [];
  }

  /** The latest verdict of a service about a digest, if any. */
  public latest(service: string, digest: string): VerdictRecord | undefined {
    return [...this.of(service)].reverse().find(r => digestOf(r.image) === digest);
  }

  /** The verdict that quarantined a digest here, under any service. */
  public quarantine(digest: string): VerdictRecord | undefined {
    for (const list of this.records.values()) {
      const found = list.find(r => r.outcome === 'quarantined' && digestOf(r.image) === digest);
      if (found) return found;
    }
    return undefined;
  }

  /** A copy with one verdict appended to a service's list. */
  public with(service: string, record: VerdictRecord): VerdictRecords {
    return new VerdictRecords(this.file, new Map(this.records).set(service, [...this.of(service), record]));
  }

  /** The file as it would be written: services sorted, verdicts in order, two-space indent, final newline. */
  public render(): string {
    const entries = [...this.records.keys()].sort().map(service => [service, this.records.get(service)]);
    return `${JSON.stringify(Object.fromEntries(entries), null, 2)}\n`;
  }
}

/** The verdict that quarantined a digest in any of `environments`, with the environment. */
export function findQuarantine(
  root: string, environments: readonly string[], digest: string,
): { environment: string; record: VerdictRecord } | undefined {
  for (const environment of environments) {
    const record = VerdictRecords.load(root, environment).quarantine(digest);
    if (record) return { environment, record };
  }
  return undefined;
}

function isVerdictRecord(value: unknown): value is VerdictRecord {
  const r = value as Partial<VerdictRecord> | null;
  return typeof r === 'object' && r !== null && typeof r.image === 'string' && typeof r.verdict === 'string' && VERDICTS.includes(r.verdict)
    && typeof r.at === 'string' && !Number.isNaN(Date.parse(r.at)) && typeof r.outcome === 'string' && Array.isArray(r.analysisRuns);
}
