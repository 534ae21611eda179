import { fail } from '../../lib/errors/problem';
import { VERDICT_ISSUE_MARKER } from '../../lib/rollout/rollout-notifications';
import { AnalysisRunSummary, MetricSummary, VERDICTS, Verdict } from './verdict-records';

/** A verdict as a notification filed it: what the issue's body says, before any check against the fleet. */
export interface VerdictIssue {
  readonly environment: string;
  readonly service: string;
  readonly image: string;
  readonly verdict: Verdict;
  readonly analysisRuns: readonly AnalysisRunSummary[];
}

/** Whether an issue's body is a verdict the notifications filed (its first line is the marker). */
export function isVerdictIssue(body: string): boolean {
  return body.trimStart().startsWith(VERDICT_ISSUE_MARKER);
}

/**
 * Reads the body of a verdict issue, as the template of `RolloutNotifications.issueTemplate` renders
 * it: `key: value` lines for the environment, service, verdict and image, then per AnalysisRun an
 * `analysis-run: NAME PHASE` line followed by its `metric: NAME PHASE |VALUE|VALUE…` lines.
 * @throws ConfigError naming the line that is missing or malformed
 */
export function parseVerdictIssue(body: string): VerdictIssue {
  const at = 'verdict request';
  if (!isVerdictIssue(body)) fail({ at, field: 'body', value: body.split('\n')[0], rule: `does not start with ${VERDICT_ISSUE_MARKER}`, fix: 'file verdicts through the notifications dist/ configures' });
  const fields = new Map<string, string>();
  const runs: { name: string; phase: string; metrics: MetricSummary[] }[] = [];
  for (const line of body.split(/\r?\n/).slice(1).map(l => l.trim()).filter(Boolean)) {
    const [key, ...rest] = line.split(': ');
    const value = rest.join(': ').trim();
    if (key === 'analysis-run') {
      const [name, phase] = value.split(/\s+/);
      if (!name || !phase) fail({ at, field: 'analysis-run', value: line, rule: 'must be "analysis-run: NAME PHASE"', fix: 'file verdicts through the notifications dist/ configures' });
      runs.push({ name, phase, metrics: [] });
    } else if (key === 'metric') {
      const [head, ...values] = value.split('|');
      const [name, phase] = head.trim().split(/\s+/);
      const run = runs[runs.length - 1];
      if (!run || !name || !phase) fail({ at, field: 'metric', value: line, rule: 'must follow its analysis-run line as "metric: NAME PHASE |VALUE…"', fix: 'file verdicts through the notifications dist/ configures' });
      const last = values.map(v => v.trim()).filter(Boolean).pop();
      run.metrics.push({ name, phase, ...(last !== undefined ? { value: last } : {}) });
    } else if (['environment', 'service', 'verdict', 'image'].includes(key)) {
      fields.set(key, key === 'image' ? value.split(/\s+/)[0] : value);
    }
  }
  for (const key of ['environment', 'service', 'verdict', 'image']) {
    if (!fields.get(key)) fail({ at, field: key, value: undefined, rule: 'is missing from the body', fix: 'file verdicts through the notifications dist/ configures' });
  }
  const verdict = fields.get('verdict')!;
  if (!(VERDICTS as readonly string[]).includes(verdict)) fail({ at, field: 'verdict', value: verdict, rule: 'is not a verdict', fix: `use one of: ${VERDICTS.join(', ')}` });
  return {
    environment: fields.get('environment')!, service: fields.get('service')!, image: fields.get('image')!, verdict: verdict as Verdict,
    analysisRuns: runs.map(r => (r.metrics.length > 0 ? r : { name: r.name, phase: r.phase })),
  };
}
