import { Duration } from 'cdk8s';
import { VerdictRecords, digestOf, findQuarantine } from '../../delivery/verdicts';
import { Problem } from '../../lib/errors';
import { ImageRef } from '../../lib/workload';
import { Fleet } from '../../model';
import { OVERRIDE_HINT } from './gates';

/** A closed gate: the problem a command fails with, and the trailer `--override` records instead. */
export interface ClosedGate {
  readonly problem: Problem;
  readonly trailer: string;
}

/**
 * The quarantine gate of `release`, `promote` and `rollback`: closed when an analysis failed `image`'s
 * digest in any environment (`npm run verdict` recorded an abort by a Failed or Error AnalysisRun).
 *
 * @param instead what the command can do instead, said before the override in the fix
 */
export function quarantineProblem(
  fleet: Fleet, root: string, at: string, field: string, image: ImageRef, instead = 'release a fixed build',
): ClosedGate | undefined {
  const digest = digestOf(image.toString());
  const found = findQuarantine(root, fleet.environments.map(e => e.name), digest);
  if (!found) return undefined;
  const run = found.record.analysisRuns.find(r => r.phase === 'Failed' || r.phase === 'Error')?.name ?? 'unnamed';
  return {
    problem: {
      at, field, value: image.toString(),
      rule: `${digest} is quarantined: AnalysisRun ${run} failed it in ${found.environment} at ${found.record.at}`,
      fix: `${instead}, ${OVERRIDE_HINT}`,
    },
    trailer: `Quarantine-Overridden: ${digest} (AnalysisRun ${run} in ${found.environment})`,
  };
}

/**
 * The evidence gate of `promote`: closed unless `image` was verified in `environment` (its canary
 * completed with every AnalysisRun Successful) at least the environment's soak time before `now`.
 * The problem says what is missing, and when a verified digest will be ready.
 */
export function evidenceProblem(
  fleet: Fleet, root: string, environment: string, service: string, image: ImageRef, now: Date,
): ClosedGate | undefined {
  const digest = digestOf(image.toString());
  const verdicts = VerdictRecords.load(root, environment);
  const latest = [...verdicts.of(service)].reverse().find(r => digestOf(r.image) === digest && r.outcome !== 'stale');
  const soak = fleet.soakTime(environment);
  if (latest?.outcome !== 'verified') {
    const said = latest ? `its latest verdict there is ${latest.outcome} (${latest.verdict} at ${latest.at})` : 'no verdict about it is recorded there';
    return {
      problem: {
        at: 'promote', field: '--from', value: environment,
        rule: `${digest} of ${service} is not verified in ${environment}: ${said}`,
        fix: `wait for its canary there to complete with every AnalysisRun Successful (npm run verdict records it), then ${soakWords(soak)}, ${OVERRIDE_HINT}`,
      },
      trailer: `Unverified-Promotion: ${digest} (${latest ? latest.outcome : 'no verdict'} in ${environment})`,
    };
  }
  const ready = new Date(Date.parse(latest.at) + soak.toMilliseconds());
  if (ready.getTime() <= now.getTime()) return undefined;
  return {
    problem: {
      at: 'promote', field: '--from', value: environment,
      rule: `${digest} of ${service} was verified in ${environment} at ${latest.at}, and its soak time of ${soak.toHumanString()} ends at ${ready.toISOString()} `
        + `(in ${Duration.millis(ready.getTime() - now.getTime()).toHumanString()})`,
      fix: `promote it then, ${OVERRIDE_HINT}`,
    },
    trailer: `Unsoaked-Promotion: ${digest} (verified in ${environment} at ${latest.at}, soak ${soak.toHumanString()})`,
  };
}

function soakWords(soak: Duration): string {
  return soak.toMilliseconds() === 0 ? 'promote it' : `let it soak for ${soak.toHumanString()}`;
}
