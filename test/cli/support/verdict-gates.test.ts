import * as fs from 'fs';
import * as path from 'path';
import { Duration } from 'cdk8s';
import { evidenceProblem, quarantineProblem } from '../../../cli/support/verdict-gates';
import { ImageRef } from '../../../lib/workload';
import { Fleet } from '../../../model';
import { fleet } from '../../fixtures/fleet';
import { DIGEST, tempRepo } from '../../helpers';

const IMAGE = ImageRef.parse(`ghcr.io/acme/api@sha256:${DIGEST}`, 'test');
const NOW = new Date('2026-12-03T10:00:00Z');

function repoWith(records: object[]): string {
  const root = tempRepo({ withDist: false });
  fs.writeFileSync(path.join(root, 'releases/staging.verdicts.json'), JSON.stringify({ api: records }));
  return root;
}
const verified = (at: string) => ({ image: IMAGE.toString(), verdict: 'completed', at, outcome: 'verified', analysisRuns: [{ name: 'r1', phase: 'Successful' }] });

describe('verdict gates', () => {
  test('GIVEN a quarantined digest WHEN released THEN the gate names the run, the environment and the trailer', () => {
    const root = repoWith([{ image: IMAGE.toString(), verdict: 'aborted', at: '2026-12-03T09:00:00Z', outcome: 'quarantined', analysisRuns: [{ name: 'r2', phase: 'Error' }] }]);
    expect(quarantineProblem(fleet, root, 'release', '--image', IMAGE)).toEqual({
      problem: {
        at: 'release', field: '--image', value: IMAGE.toString(),
        rule: `sha256:${DIGEST} is quarantined: AnalysisRun r2 failed it in staging at 2026-12-03T09:00:00Z`, fix: 'release a fixed build, or give --override "why" to record in the commit',
      },
      trailer: `Quarantine-Overridden: sha256:${DIGEST} (AnalysisRun r2 in staging)`,
    });
    expect(quarantineProblem(fleet, tempRepo({ withDist: false }), 'release', '--image', IMAGE)).toBeUndefined();
  });

  test('GIVEN a quarantined digest WHEN another command asks THEN the rule and trailer are release\'s, and the fix names what that command can do instead', () => {
    // GIVEN a digest quarantined in staging
    const root = repoWith([{ image: IMAGE.toString(), verdict: 'aborted', at: '2026-12-03T09:00:00Z', outcome: 'quarantined', analysisRuns: [{ name: 'r2', phase: 'Failed' }] }]);
    const release = quarantineProblem(fleet, root, 'release', '--image', IMAGE);
    // WHEN rollback asks, placing the value where it read it
    const rollback = quarantineProblem(fleet, root, 'releases/staging.json@abc1234', 'api', IMAGE, 'roll back to another image with --to IMAGE');
    // THEN only the place and the fix differ
    expect(rollback).toEqual({
      problem: { ...release!.problem, at: 'releases/staging.json@abc1234', field: 'api', fix: 'roll back to another image with --to IMAGE, or give --override "why" to record in the commit' },
      trailer: release!.trailer,
    });
  });

  test('GIVEN a verification older than the soak WHEN promoted THEN the gate is open; within it, closed until when', () => {
    expect(evidenceProblem(fleet, repoWith([verified('2026-12-03T09:30:00Z')]), 'staging', 'api', IMAGE, NOW)).toBeUndefined();
    expect(evidenceProblem(fleet, repoWith([verified('2026-12-03T09:31:00Z')]), 'staging', 'api', IMAGE, NOW)?.problem.rule)
      .toBe(`sha256:${DIGEST} of api was verified in staging at 2026-12-03T09:31:00Z, and its soak time of 30 minutes ends at 2026-12-03T10:01:00.000Z (in 1 minute)`);
  });

  test('GIVEN an environment with its own soak time WHEN promoted THEN that time counts', () => {
    const environments = [{ ...fleet.environments[0], soakTime: Duration.minutes(5) }, fleet.environments[1]];
    const quick = new Fleet({ ...fleetDefinition(), environments });
    expect(quick.soakTime('staging').toMinutes()).toBe(5);
    expect(quick.soakTime('production').toSeconds()).toBe(0);
    expect(fleet.soakTime('staging').toMinutes()).toBe(30);
    expect(evidenceProblem(quick, repoWith([verified('2026-12-03T09:55:00Z')]), 'staging', 'api', IMAGE, NOW)).toBeUndefined();
  });
});

function fleetDefinition() {
  return { name: fleet.name, repoUrl: fleet.repoUrl, services: [...fleet.services], environments: [...fleet.environments] };
}
