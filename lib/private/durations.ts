import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { problemAt } from '../errors/problem';

/** A Duration in seconds, fractional if need be; cdk8s's own `toSeconds()` throws on fractions. */
export function seconds(duration: Duration): number {
  return duration.toMilliseconds() / 1000;
}

/**
 * A Duration as a Go duration string (`30s`, `5m`, `1h`), the form Argo Rollouts and PromQL range
 * selectors accept. Go durations have no day unit, so days are written in hours.
 */
export function goDuration(duration: Duration): string {
  const s = seconds(duration);
  if (!Number.isInteger(s)) return `${duration.toMilliseconds()}ms`;
  if (s > 0 && s % 3600 === 0) return `${s / 3600}h`;
  if (s > 0 && s % 60 === 0) return `${s / 60}m`;
  return `${s}s`;
}

/** The problem of a duration the controller takes in whole seconds, when it is fractional or below `min`. */
export function wholeSecondsProblems(scope: IConstruct, field: string, duration: Duration | undefined, min = 0): string[] {
  if (duration === undefined) return [];
  const value = seconds(duration);
  if (Number.isInteger(value) && value >= min) return [];
  return [problemAt(scope, field, `${value}s`, `must be a whole number of seconds of at least ${min}`, `set ${field.split('.').pop()} with Duration.seconds(n) or Duration.minutes(n)`)];
}

/** Seconds of a Go or Prometheus duration (`1h30m`, `90s`, `500ms`, `1d`) or of a plain number of seconds. */
export function parseDurationSeconds(value: string | number): number {
  if (typeof value === 'number' || /^\d+$/.test(value)) return Number(value);
  const units: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };
  const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)/g)];
  if (parts.length === 0 || parts.map(p => p[0]).join('') !== value) throw new Error(`'${value}' is not a duration`);
  return parts.reduce((sum, [, n, unit]) => sum + Number(n) * units[unit], 0);
}
