import { Duration } from 'cdk8s';

/**
 * A Duration as a Go duration string (`30s`, `5m`, `1h`), the form Argo Rollouts and PromQL range
 * selectors accept. Go durations have no day unit, so days are written in hours.
 */
export function goDuration(duration: Duration): string {
  const seconds = duration.toSeconds();
  if (seconds > 0 && seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds > 0 && seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}
