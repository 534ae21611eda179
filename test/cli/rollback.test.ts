import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { releaseCommand } from '../../cli/release';
import { rollbackCommand } from '../../cli/rollback';
import { verdictCommand } from '../../cli/verdict';
import { fleet } from '../fixtures/fleet';
import { DIGEST, OTHER_DIGEST, changedFiles, readTree, tempRepo } from '../helpers';

const pinOf = (root: string, env: string, service: string) => JSON.parse(fs.readFileSync(path.join(root, `releases/${env}.json`), 'utf-8'))[service];

const commitAll = (root: string, message: string) => {
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: root, stdio: 'pipe' });
  git('add', '-A');
  git('commit', '--quiet', '-m', message);
};

/** A Git checkout whose staging pin of api went DIGEST, then OTHER_DIGEST. */
function repoWithHistory() {
  const root = tempRepo();
  execFileSync('git', ['init', '--quiet'], { cwd: root });
  for (const digest of [DIGEST, OTHER_DIGEST]) {
    releaseCommand(fleet, root, ['--service', 'api', '--env', 'staging', '--image', `ghcr.io/acme/api@sha256:${digest}`]);
    commitAll(root, `release ${digest.slice(0, 4)}`);
  }
  return root;
}

const BAD = `ghcr.io/acme/api@sha256:${OTHER_DIGEST}`;
const GOOD = `ghcr.io/acme/api@sha256:${DIGEST}`;
/** What release, promote and rollback say of BAD once AnalysisRun api-6d9f7c-2 failed it in staging. */
const QUARANTINED = `sha256:${OTHER_DIGEST} is quarantined: AnalysisRun api-6d9f7c-2 failed it in staging at 2026-12-03T09:00:00.000Z`;
const QUARANTINE_FIX = 'roll back to another image with --to IMAGE, or give --override "why" to record in the commit';

/**
 * {@link repoWithHistory}, then the canary of OTHER_DIGEST aborted by a failed AnalysisRun: the verdict
 * quarantined it and pinned DIGEST back, in a commit of its own. The pin before the current one is BAD.
 */
function repoAfterQuarantine() {
  const root = repoWithHistory();
  verdictCommand(fleet, root, ['--env', 'staging', '--service', 'api', '--image', BAD, '--verdict', 'aborted', '--analysis-run', 'api-6d9f7c-2', '--at', '2026-12-03T09:00:00Z'], new Date('2026-12-03T10:00:00Z'));
  commitAll(root, 'verdict: aborted');
  expect(pinOf(root, 'staging', 'api')).toBe(GOOD);
  return root;
}

describe('rollback', () => {
  test('GIVEN a pin history in Git WHEN rolled back THEN the pin before the current one returns, and the output says what was reverted', () => {
    const root = repoWithHistory();
    const output = rollbackCommand(fleet, root, ['--service', 'api', '--env', 'staging']);
    expect(pinOf(root, 'staging', 'api')).toBe(`ghcr.io/acme/api@sha256:${DIGEST}`);
    expect(output.split('\n')[0]).toMatch(new RegExp(`^rolled back api in staging: ghcr.io/acme/api@sha256:${OTHER_DIGEST} → ghcr.io/acme/api@sha256:${DIGEST} \\(the pin in releases/staging.json at commit [0-9a-f]{7,}\\)$`));
    expect(fs.readFileSync(path.join(root, 'dist/staging/api/rollout-api.yaml'), 'utf-8')).toContain(`@sha256:${DIGEST}`);
  });

  test('GIVEN an image never deployed there WHEN rolled back to it with --override THEN it is pinned, and the output ends with the trailers the commit records', () => {
    // GIVEN a digest production never ran and staging does not run
    const root = tempRepo();
    // WHEN rolled back to it with a reason
    const output = rollbackCommand(fleet, root, ['--service', 'web', '--env', 'production', '--to', `ghcr.io/acme/web@sha256:${DIGEST}`, '--override', ' hotfix for incident 42 ']);
    // THEN it is pinned, and scripts/commit-and-push.sh finds the gate passed and the reason as the output's last lines (Key: value)
    expect(pinOf(root, 'production', 'web')).toBe(`ghcr.io/acme/web@sha256:${DIGEST}`);
    const lines = output.split('\n');
    expect(lines[0]).toBe(`rolled back web in production: ${pinOf(tempRepo(), 'production', 'web')} → ghcr.io/acme/web@sha256:${DIGEST} (given with --to)`);
    expect(lines.slice(-2)).toEqual([
      `Undeployed-Rollback: sha256:${DIGEST} (never deployed in production nor pinned in staging)`,
      'Override-Reason: hotfix for incident 42',
    ]);
    expect(lines.at(-3)).not.toMatch(/^[A-Z][A-Za-z0-9-]*: /);
  });

  test('GIVEN a digest deployed there before WHEN rolled back to it with --override THEN no gate was passed, and no trailer claims one', () => {
    const root = repoWithHistory();
    const output = rollbackCommand(fleet, root, ['--service', 'api', '--env', 'staging', '--to', `ghcr.io/acme/api@sha256:${DIGEST}`, '--override', 'not needed']);
    expect(pinOf(root, 'staging', 'api')).toBe(`ghcr.io/acme/api@sha256:${DIGEST}`);
    expect(output).not.toMatch(/^(Undeployed-Rollback|Override-Reason): /m);
  });

  test('GIVEN a recorded build WHEN rolled back THEN its record goes too, so the next build of any age can be released', () => {
    const root = tempRepo();
    const build = ['--source-commit', 'abcdef1', '--built-at', '2026-11-27T10:00:00Z'];
    releaseCommand(fleet, root, ['--service', 'api', '--env', 'staging', '--image', `ghcr.io/acme/api@sha256:${OTHER_DIGEST}`, ...build]);
    rollbackCommand(fleet, root, ['--service', 'api', '--env', 'staging', '--to', `ghcr.io/acme/api@sha256:${DIGEST}`, '--override', 'test']);
    expect(JSON.parse(fs.readFileSync(path.join(root, 'releases/staging.builds.json'), 'utf-8'))).toEqual({});
    releaseCommand(fleet, root, ['--service', 'api', '--env', 'staging', '--image', `ghcr.io/acme/api@sha256:${'c'.repeat(64)}`, '--source-commit', 'abcdef2', '--built-at', '2026-11-27T09:00:00Z']);
    expect(pinOf(root, 'staging', 'api')).toBe(`ghcr.io/acme/api@sha256:${'c'.repeat(64)}`);
  });

  test('GIVEN a digest from the pin history WHEN rolled back to it with --to THEN it is pinned without an override', () => {
    const root = repoWithHistory();
    rollbackCommand(fleet, root, ['--service', 'api', '--env', 'staging', '--to', `ghcr.io/acme/api:1.0@sha256:${DIGEST}`]);
    expect(pinOf(root, 'staging', 'api')).toBe(`ghcr.io/acme/api:1.0@sha256:${DIGEST}`);
  });

  test('GIVEN the digest pinned in the environment before WHEN production is rolled back to it THEN it is pinned without an override', () => {
    const root = tempRepo();
    const staging = pinOf(root, 'staging', 'api');
    rollbackCommand(fleet, root, ['--service', 'api', '--env', 'production', '--to', staging]);
    expect(pinOf(root, 'production', 'api')).toBe(staging);
  });

  test.each([
    ['a digest never deployed', ['--service', 'api', '--env', 'production', '--to', `ghcr.io/acme/api@sha256:${DIGEST}`],
      `rollback: '--to' is 'ghcr.io/acme/api@sha256:${DIGEST}': was never deployed in production (no pin of that digest in the Git history of releases/production.json) nor is it pinned in staging; roll back to a digest that ran here, or give --override "why" to record in the commit`],
    ['an empty override', ['--service', 'api', '--env', 'staging', '--to', `ghcr.io/acme/api@sha256:${DIGEST}`, '--override', ' '],
      "rollback: '--override' is ' ': must say why the gates are passed; give --override \"the reason\", which the commit records"],
    ['a reason on two lines', ['--service', 'api', '--env', 'staging', '--override', 'INC-42\nApproved-By: nobody'],
      "rollback: '--override' is 'INC-42\\nApproved-By: nobody': must be one line, since the commit records it as a trailer; give the reason on one line"],
    ['no history and no --to', ['--service', 'api', '--env', 'staging'], "rollback: '--to' is unset: releases/staging.json has no earlier pin of api in Git's history; name the image to go back to with --to"],
    ['the image it runs already', ['--service', 'api', '--env', 'staging', '--to', 'CURRENT'], "rollback: '--to' is 'CURRENT': is what api runs in staging already; name an earlier image"],
    ['another service\'s image', ['--service', 'api', '--env', 'staging', '--to', `ghcr.io/acme/web@sha256:${DIGEST}`], "is not from 'ghcr.io/acme/api', the imageRepository of service 'api'"],
  ])('GIVEN %s WHEN rolled back THEN it fails with the fix and nothing changes', (_, argv, message) => {
    const root = tempRepo();
    const current = pinOf(root, 'staging', 'api');
    const args = argv.map(a => (a === 'CURRENT' ? current : a));
    const before = readTree(root);
    expect(() => rollbackCommand(fleet, root, args)).toThrow(message.replace('CURRENT', current));
    expect(readTree(root)).toEqual(before);
  });
  describe('of a quarantined digest', () => {
    test('GIVEN the pin before the current one is a digest an analysis failed WHEN rolled back without --to THEN it is refused naming the AnalysisRun, and nothing changes', () => {
      // GIVEN an abort's revert: the pin before the current one is the quarantined digest
      const root = repoAfterQuarantine();
      const before = readTree(root);
      // WHEN rolled back to the previous pin
      // THEN the error is release's, placed where the image was read: the pin file at the commit that pinned it
      const revision = execFileSync('git', ['log', '--format=%h', '-1', 'HEAD~1'], { cwd: root, encoding: 'utf-8' }).trim();
      expect(() => rollbackCommand(fleet, root, ['--service', 'api', '--env', 'staging']))
        .toThrow(new Error(`releases/staging.json@${revision}: 'api' is '${BAD}': ${QUARANTINED}; ${QUARANTINE_FIX}`));
      // AND releases/, dist/ and Git are byte for byte as they were
      expect(changedFiles(before, readTree(root))).toEqual([]);
    });

    test('GIVEN the pin before the current one is quarantined WHEN rolled back with --override THEN it is pinned, and the output ends with the gate and the reason as trailers', () => {
      // GIVEN an abort's revert
      const root = repoAfterQuarantine();
      const before = readTree(root);
      // WHEN rolled back to the previous pin with a reason
      const output = rollbackCommand(fleet, root, ['--service', 'api', '--env', 'staging', '--override', ' the analysis was wrong: INC-44 ']);
      // THEN the quarantined digest is pinned again, and only its pin and folder change
      expect(pinOf(root, 'staging', 'api')).toBe(BAD);
      const lines = output.split('\n');
      expect(lines[0]).toMatch(new RegExp(`^rolled back api in staging: ${GOOD} → ${BAD} \\(the pin in releases/staging.json at commit [0-9a-f]{7,}\\)$`));
      // scripts/commit-and-push.sh takes the output's last `Key: value` lines, and only those, as the commit's trailers
      expect(lines.slice(-2)).toEqual([`Quarantine-Overridden: sha256:${OTHER_DIGEST} (AnalysisRun api-6d9f7c-2 in staging)`, 'Override-Reason: the analysis was wrong: INC-44']);
      expect(lines.at(-3)).not.toMatch(/^[A-Z][A-Za-z0-9-]*: /);
      expect(changedFiles(before, readTree(root))).toEqual(['dist/staging/api/rollout-api.yaml', 'releases/staging.json']);
    });

    test('GIVEN a quarantined digest in the pin history WHEN rolled back to it with --to THEN it is refused as release refuses it; with --override only the quarantine gate is recorded', () => {
      // GIVEN BAD quarantined, and pinned in staging's history (so the never-deployed gate stays open)
      const root = repoAfterQuarantine();
      const before = readTree(root);
      // WHEN rolled back to it with --to
      // THEN the rule is release's, and nothing changes
      expect(() => rollbackCommand(fleet, root, ['--service', 'api', '--env', 'staging', '--to', BAD]))
        .toThrow(new Error(`rollback: '--to' is '${BAD}': ${QUARANTINED}; ${QUARANTINE_FIX}`));
      expect(changedFiles(before, readTree(root))).toEqual([]);
      // AND with --override it lands, recording the one gate passed and the reason
      const output = rollbackCommand(fleet, root, ['--service', 'api', '--env', 'staging', '--to', BAD, '--override', 'reproducing INC-43']);
      expect(pinOf(root, 'staging', 'api')).toBe(BAD);
      expect(output.split('\n').slice(-3)).toEqual([
        expect.not.stringMatching(/^[A-Z][A-Za-z0-9-]*: /),
        `Quarantine-Overridden: sha256:${OTHER_DIGEST} (AnalysisRun api-6d9f7c-2 in staging)`,
        'Override-Reason: reproducing INC-43',
      ]);
    });

    test('GIVEN a digest quarantined in staging WHEN production is rolled back to it THEN it is refused there too; with --override every gate passed is a trailer', () => {
      // GIVEN BAD quarantined in staging, never pinned in production, and no longer pinned in staging
      const root = repoAfterQuarantine();
      const before = readTree(root);
      // WHEN production is rolled back to it
      expect(() => rollbackCommand(fleet, root, ['--service', 'api', '--env', 'production', '--to', BAD]))
        .toThrow(new Error(`rollback: '--to' is '${BAD}': ${QUARANTINED}; ${QUARANTINE_FIX}`));
      expect(changedFiles(before, readTree(root))).toEqual([]);
      // THEN with a reason it lands, and both gates it passed are named before the reason
      const output = rollbackCommand(fleet, root, ['--service', 'api', '--env', 'production', '--to', BAD, '--override', 'INC-45']);
      expect(pinOf(root, 'production', 'api')).toBe(BAD);
      expect(output.split('\n').slice(-3)).toEqual([
        `Quarantine-Overridden: sha256:${OTHER_DIGEST} (AnalysisRun api-6d9f7c-2 in staging)`,
        `Undeployed-Rollback: sha256:${OTHER_DIGEST} (never deployed in production nor pinned in staging)`,
        'Override-Reason: INC-45',
      ]);
    });

    test('GIVEN a digest aborted without a failed analysis WHEN rolled back to it THEN no quarantine gate closes', () => {
      // GIVEN a person's abort: the pin went back, the digest is not quarantined
      const root = repoWithHistory();
      verdictCommand(fleet, root, ['--env', 'staging', '--service', 'api', '--image', BAD, '--verdict', 'aborted', '--at', '2026-12-03T09:00:00Z'], new Date('2026-12-03T10:00:00Z'));
      commitAll(root, 'verdict: aborted');
      // WHEN rolled back to the pin before
      const output = rollbackCommand(fleet, root, ['--service', 'api', '--env', 'staging']);
      // THEN it lands with no trailer
      expect(pinOf(root, 'staging', 'api')).toBe(BAD);
      expect(output).not.toMatch(/^[A-Z][A-Za-z0-9-]*: /m);
    });
  });
});
