import * as fs from 'fs';
import * as path from 'path';
import { promoteCommand } from '../../cli/promote';
import { releaseCommand } from '../../cli/release';
import { verdictCommand } from '../../cli/verdict';
import { Cluster } from '../../lib/argocd';
import { Fleet } from '../../model';
import { autoPromoteFleet, fleet } from '../fixtures/fleet';
import { DIGEST, changedFiles, readTree, tempRepo } from '../helpers';

const STAGING_API = 'ghcr.io/acme/api:2.0.1@sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc';
const STAGING_DIGEST = 'sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc';
const NOW = new Date('2026-12-03T10:00:00Z');
const promote = (root: string, ...extra: string[]) => promoteCommand(fleet, root, ['--service', 'api', '--from', 'staging', '--to', 'production', ...extra], NOW);
/** Records a verdict about staging's api at `at`. */
const judge = (root: string, at: string, ...argv: string[]) => verdictCommand(fleet, root, ['--env', 'staging', '--service', 'api', '--image', STAGING_API, '--at', at, ...argv], NOW);
/** A repository whose staging api pin was verified at `at`. */
const read = (root: string, env: string) => JSON.parse(fs.readFileSync(path.join(root, `releases/${env}.json`), 'utf-8'));
const verifiedAt = (at: string) => {
  const root = tempRepo();
  judge(root, at, '--verdict', 'completed', '--analysis-run', 'api-5c8e6b-2');
  return root;
};

describe('promote', () => {
  test('GIVEN a staging pin verified longer ago than the soak time WHEN promoted THEN production gets the same image and only its files change', () => {
    const root = verifiedAt('2026-12-03T09:29:00Z');
    const before = readTree(root);
    promote(root);
    const staging = JSON.parse(fs.readFileSync(path.join(root, 'releases/staging.json'), 'utf-8'));
    const production = JSON.parse(fs.readFileSync(path.join(root, 'releases/production.json'), 'utf-8'));
    expect(production.api).toBe(staging.api);
    expect(changedFiles(before, readTree(root))).toEqual(['dist/production/api/rollout-api.yaml', 'releases/production.json']);
  });

  test.each([
    ['no verdict', (root: string) => root, `${STAGING_DIGEST} of api is not verified in staging: no verdict about it is recorded there; `
      + 'wait for its canary there to complete with every AnalysisRun Successful (npm run verdict records it), then let it soak for 30 minutes, or give --override "why" to record in the commit'],
    ['a completion without analysis', (root: string) => { judge(root, '2026-12-03T08:00:00Z', '--verdict', 'completed'); return root; },
      `${STAGING_DIGEST} of api is not verified in staging: its latest verdict there is unverified (completed at 2026-12-03T08:00:00.000Z)`],
    ['an inconclusive canary', (root: string) => { judge(root, '2026-12-03T08:00:00Z', '--verdict', 'inconclusive'); return root; },
      `${STAGING_DIGEST} of api is not verified in staging: its latest verdict there is inconclusive (inconclusive at 2026-12-03T08:00:00.000Z)`],
    ['a verification within the soak time', (root: string) => { judge(root, '2026-12-03T09:47:26Z', '--verdict', 'completed', '--analysis-run', 'api-5c8e6b-2'); return root; },
      `promote: '--from' is 'staging': ${STAGING_DIGEST} of api was verified in staging at 2026-12-03T09:47:26.000Z, and its soak time of 30 minutes ends at 2026-12-03T10:17:26.000Z `
      + '(in 17 minutes 26 seconds); promote it then, or give --override "why" to record in the commit'],
  ])('GIVEN %s WHEN promoted THEN one error says what is missing and nothing changes', (_, given, message) => {
    const root = given(tempRepo());
    const before = readTree(root);
    expect(() => promote(root)).toThrow(message);
    expect(readTree(root)).toEqual(before);
  });

  test('GIVEN an unverified digest WHEN promoted with --override THEN it lands and the trailers say which gate was passed and why', () => {
    const output = promote(tempRepo(), '--override', 'INC-42: the fix must reach production now');
    expect(output).toContain('pinned api in production to ghcr.io/acme/api:2.0.1@sha256:cccc');
    expect(output.split('\n').slice(-2)).toEqual([`Unverified-Promotion: ${STAGING_DIGEST} (no verdict in staging)`, 'Override-Reason: INC-42: the fix must reach production now']);
  });

  test('GIVEN a blank --override WHEN promoted THEN it is refused', () => {
    expect(() => promote(tempRepo(), '--override', ' ')).toThrow("promote: '--override' is ' ': must say why the gates are passed; give --override \"the reason\", which the commit records");
  });

  test('GIVEN a digest an analysis failed in staging WHEN released again or promoted THEN it is refused naming the AnalysisRun, unless overridden', () => {
    const root = verifiedAt('2026-12-03T08:00:00Z');
    const bad = `ghcr.io/acme/api@sha256:${DIGEST}`;
    releaseCommand(fleet, root, ['--service', 'api', '--env', 'staging', '--image', bad]);
    verdictCommand(fleet, root, ['--env', 'staging', '--service', 'api', '--image', bad, '--verdict', 'aborted', '--analysis-run', 'api-6d9f7c-2', '--at', '2026-12-03T09:00:00Z'], NOW);
    const before = readTree(root);
    const quarantined = `sha256:${DIGEST} is quarantined: AnalysisRun api-6d9f7c-2 failed it in staging at 2026-12-03T09:00:00.000Z; release a fixed build, or give --override "why" to record in the commit`;
    expect(() => releaseCommand(fleet, root, ['--service', 'api', '--env', 'staging', '--image', bad])).toThrow(`release: '--image' is '${bad}': ${quarantined}`);
    expect(readTree(root)).toEqual(before);
    const output = releaseCommand(fleet, root, ['--service', 'api', '--env', 'staging', '--image', bad, '--override', 'reproducing INC-43']);
    expect(output.split('\n').slice(-2)).toEqual([`Quarantine-Overridden: sha256:${DIGEST} (AnalysisRun api-6d9f7c-2 in staging)`, 'Override-Reason: reproducing INC-43']);
    const released = readTree(root);
    expect(() => promote(root)).toThrow(`promote: '--from' is '${bad}': ${quarantined}`);
    expect(readTree(root)).toEqual(released);
  });

  test('GIVEN no pin in the source environment WHEN promoted THEN it fails and no file changes', () => {
    const root = tempRepo();
    const pins = JSON.parse(fs.readFileSync(path.join(root, 'releases/staging.json'), 'utf-8'));
    delete pins.web;
    fs.writeFileSync(path.join(root, 'releases/staging.json'), JSON.stringify(pins));
    const before = readTree(root);
    expect(() => promoteCommand(fleet, root, ['--service', 'web', '--from', 'staging', '--to', 'production']))
      .toThrow("'--from' is 'staging': service 'web' has no pin there, so there is nothing to promote; release it there first");
    expect(readTree(root)).toEqual(before);
  });

  test('GIVEN the same environment twice WHEN promoted THEN it is refused', () => {
    expect(() => promoteCommand(fleet, tempRepo(), ['--service', 'api', '--from', 'staging', '--to', 'staging'])).toThrow("promote: '--to' is 'staging': must differ from '--from'; promote to the next environment");
  });

  describe('in promotion order', () => {
    /** The example fleet with qa between staging and production, and the pins of a repo with a qa pin file. */
    const threeStage = () => new Fleet({
      name: fleet.name, repoUrl: fleet.repoUrl, services: [...fleet.services],
      environments: [fleet.environments[0], { name: 'qa', cluster: Cluster.inCluster(), namespace: 'shop-qa' }, fleet.environments[1]],
    });
    const repoWithQa = () => {
      const root = tempRepo();
      fs.writeFileSync(path.join(root, 'releases/qa.json'), '{}\n');
      return root;
    };

    test('GIVEN production WHEN promoted back to staging THEN it is refused, and rollback is named', () => {
      const root = tempRepo();
      const before = readTree(root);
      expect(() => promoteCommand(fleet, root, ['--service', 'api', '--from', 'production', '--to', 'staging']))
        .toThrow("promote: '--to' is 'staging': comes before 'production' in the promotion order (staging → production); go back with npm run rollback -- --service api --env staging");
      expect(readTree(root)).toEqual(before);
    });

    test('GIVEN an environment in between WHEN promoted past it THEN it is refused without a reason', () => {
      expect(() => promoteCommand(threeStage(), repoWithQa(), ['--service', 'api', '--from', 'staging', '--to', 'production']))
        .toThrow("promote: '--to' is 'production': skips qa in the promotion order (staging → qa → production); promote to qa first, or give --override \"why\" to record in the commit");
    });

    test('GIVEN a reason WHEN promoted past an environment THEN it lands and the output carries the reason as commit trailers', () => {
      const root = repoWithQa();
      verdictCommand(threeStage(), root, ['--env', 'staging', '--service', 'api', '--image', STAGING_API, '--verdict', 'completed', '--analysis-run', 'api-5c8e6b-2', '--at', '2026-12-03T08:00:00Z'], NOW);
      const output = promoteCommand(threeStage(), root, ['--service', 'api', '--from', 'staging', '--to', 'production', '--override', 'hotfix for INC-42'], NOW);
      expect(output).toContain('pinned api in production to ghcr.io/acme/api');
      expect(output.split('\n').slice(-2)).toEqual(['Skipped-Environments: qa', 'Override-Reason: hotfix for INC-42']);
    });
  });

  describe('--auto', () => {
    test('GIVEN a digest verified and soaked in an environment with autoPromote WHEN promoted automatically THEN it lands, and what waits says why', () => {
      const root = verifiedAt('2026-12-03T09:00:00Z');
      const output = promoteCommand(autoPromoteFleet, root, ['--auto'], NOW).split('\n');
      expect(output[0]).toBe(`pinned api in production to ${STAGING_API}`);
      // web runs the same digest in both environments: nothing waits.
      expect(output.filter(l => l.startsWith('waiting:'))).toEqual([]);
      expect(read(root, 'production').api).toBe(STAGING_API);
    });

    test('GIVEN a digest within its soak WHEN promoted automatically THEN nothing lands and the line says when it will be ready', () => {
      const root = verifiedAt('2026-12-03T09:45:00Z');
      const before = readTree(root);
      expect(promoteCommand(autoPromoteFleet, root, ['--auto'], NOW).split('\n')).toEqual([
        `waiting: api staging → production: ${STAGING_DIGEST} of api was verified in staging at 2026-12-03T09:45:00.000Z, and its soak time of 30 minutes ends at 2026-12-03T10:15:00.000Z (in 15 minutes)`,
        'nothing to promote: no verified, soaked digest waits in an environment with autoPromote',
      ]);
      expect(readTree(root)).toEqual(before);
    });

    test('GIVEN no environment with autoPromote WHEN promoted automatically THEN nothing changes', () => {
      expect(promoteCommand(fleet, verifiedAt('2026-12-03T09:00:00Z'), ['--auto'], NOW)).toBe('nothing to promote: no verified, soaked digest waits in an environment with autoPromote');
    });

    test('GIVEN --auto with a named promotion WHEN run THEN it is refused', () => {
      expect(() => promoteCommand(autoPromoteFleet, tempRepo(), ['--auto', '--service', 'api'], NOW)).toThrow("promote: '--service' is 'api': is not taken with --auto; give --auto alone, or name one promotion without it");
    });
  });
});
