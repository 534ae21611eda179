import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { releaseCommand } from '../../cli/release';
import { verdictCommand, verdictFromRequest } from '../../cli/verdict';
import { VERDICT_ISSUE_MARKER } from '../../lib/rollout';
import { fleet } from '../fixtures/fleet';
import { DIGEST, OTHER_DIGEST, changedFiles, readTree, tempRepo } from '../helpers';

const STAGING_API = 'ghcr.io/acme/api:2.0.1@sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc';
const NEW_API = `ghcr.io/acme/api@sha256:${DIGEST}`;
const NOW = new Date('2026-12-03T10:00:00Z');
const read = (root: string, file: string) => JSON.parse(fs.readFileSync(path.join(root, file), 'utf-8'));
const verdict = (root: string, ...argv: string[]) => verdictCommand(fleet, root, ['--env', 'staging', '--service', 'api', ...argv], NOW);

/** A file of AnalysisRuns as the notification gives them. */
function runsFile(root: string, runs: unknown): string {
  const file = path.join(root, `runs-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(file, JSON.stringify(runs));
  return file;
}

const FAILED_RUNS = [{ name: 'api-6d9f7c-2', phase: 'Failed', metrics: [{ name: 'success-rate', phase: 'Failed', value: '[0.81]' }] }];

/** A repository where staging's api completed its canary on STAGING_API, then NEW_API was released. */
function releasedOnVerifiedStable(): string {
  const root = tempRepo();
  verdict(root, '--image', STAGING_API, '--verdict', 'completed', '--analysis-run', 'api-5c8e6b-2', '--at', '2026-12-03T08:00:00Z');
  releaseCommand(fleet, root, ['--service', 'api', '--env', 'staging', '--image', NEW_API]);
  return root;
}

describe('verdict', () => {
  test('GIVEN a completion with every AnalysisRun Successful WHEN recorded THEN the digest is verified there at that time and only the verdicts file changes', () => {
    const root = tempRepo();
    const before = readTree(root);
    const runs = runsFile(root, [{ name: 'api-5c8e6b-2', phase: 'Successful' }, { name: 'api-5c8e6b-1', phase: 'Successful' }]);
    const output = verdict(root, '--image', STAGING_API, '--verdict', 'completed', '--analysis-runs-json', runs, '--at', '2026-12-03T09:00:00Z');
    expect(output).toContain('verified sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc in staging at 2026-12-03T09:00:00.000Z');
    expect(output.split('\n').slice(-3)).toEqual(['Verdict-Outcome: verified', 'Analysis-Run: api-5c8e6b-2 Successful', 'Analysis-Run: api-5c8e6b-1 Successful']);
    expect(changedFiles(before, readTree(root)).filter(f => !f.startsWith('runs-'))).toEqual(['releases/staging.verdicts.json']);
    expect(read(root, 'releases/staging.verdicts.json').api).toEqual([{
      image: STAGING_API, verdict: 'completed', at: '2026-12-03T09:00:00.000Z', outcome: 'verified',
      analysisRuns: [{ name: 'api-5c8e6b-2', phase: 'Successful' }, { name: 'api-5c8e6b-1', phase: 'Successful' }],
    }]);
  });

  test.each([
    ['no AnalysisRun', [], 'no AnalysisRun ran'],
    ['a run that is not Successful', [{ name: 'api-5c8e6b-2', phase: 'Inconclusive' }], 'not every AnalysisRun was Successful'],
  ])('GIVEN a completion with %s WHEN recorded THEN it is unverified', (_, runs, why) => {
    const root = tempRepo();
    const output = verdict(root, '--image', STAGING_API, '--verdict', 'completed', '--analysis-runs-json', runsFile(root, runs));
    expect(output).toContain(`recorded api's completion in staging as unverified: ${why}`);
    expect(read(root, 'releases/staging.verdicts.json').api[0].outcome).toBe('unverified');
  });

  test('GIVEN an abort by a failed analysis WHEN recorded THEN the pin returns to the last completed image, the digest is quarantined and the trailers name run, metric and value', () => {
    const root = releasedOnVerifiedStable();
    const output = verdict(root, '--image', NEW_API, '--verdict', 'aborted', '--analysis-runs-json', runsFile(root, FAILED_RUNS));
    expect(read(root, 'releases/staging.json').api).toBe(STAGING_API);
    expect(fs.readFileSync(path.join(root, 'dist/staging/api/rollout-api.yaml'), 'utf-8')).toContain(`image: ${STAGING_API}`);
    expect(output.split('\n')[0]).toBe(
      `reverted api in staging after its canary aborted: ${NEW_API} → ${STAGING_API} (the last completed canary in releases/staging.verdicts.json (2026-12-03T08:00:00.000Z)); `
      + `quarantined sha256:${DIGEST}, failed by AnalysisRun api-6d9f7c-2`,
    );
    expect(output.split('\n').slice(-11)).toEqual([
      'Verdict: aborted', 'Environment: staging', 'Service: api', `Image: ${NEW_API}`, 'Analysis-Run: api-6d9f7c-2', 'Failed-Metric: success-rate', 'Metric-Value: [0.81]',
      `Quarantined: sha256:${DIGEST}`, `Reverted-From: ${NEW_API}`, `Reverted-To: ${STAGING_API}`, 'Verdict-Outcome: quarantined',
    ]);
    expect(read(root, 'releases/staging.verdicts.json').api[1]).toMatchObject({ image: NEW_API, verdict: 'aborted', outcome: 'quarantined', revertedTo: STAGING_API });
  });

  test('GIVEN an abort without a failed analysis WHEN recorded THEN the pin returns without quarantine', () => {
    const root = releasedOnVerifiedStable();
    const output = verdict(root, '--image', NEW_API, '--verdict', 'aborted', '--message', 'aborted by hand');
    expect(output.split('\n')[0]).toContain('; not quarantined: no analysis failed it');
    expect(read(root, 'releases/staging.json').api).toBe(STAGING_API);
    expect(read(root, 'releases/staging.verdicts.json').api[1]).toMatchObject({ outcome: 'reverted', message: 'aborted by hand' });
  });

  test('GIVEN no completed canary WHEN an abort is recorded THEN the stable image comes from the pin file\'s Git history', () => {
    const root = tempRepo();
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: root, stdio: 'pipe' });
    git('init', '--quiet');
    git('add', '-A');
    git('commit', '--quiet', '-m', 'base');
    releaseCommand(fleet, root, ['--service', 'api', '--env', 'staging', '--image', NEW_API]);
    git('commit', '--quiet', '-am', 'release');
    const output = verdict(root, '--image', NEW_API, '--verdict', 'aborted', '--analysis-run', 'api-6d9f7c-2');
    expect(output.split('\n')[0]).toMatch(/→ ghcr\.io\/acme\/api:2\.0\.1@sha256:c{64} \(the pin in releases\/staging\.json at commit [0-9a-f]{7,}\); quarantined/);
    expect(read(root, 'releases/staging.json').api).toBe(STAGING_API);
  });

  test('GIVEN neither a completed canary nor Git history WHEN an abort is recorded THEN it is quarantined and a warning says to pin the stable image', () => {
    const root = tempRepo();
    releaseCommand(fleet, root, ['--service', 'api', '--env', 'staging', '--image', NEW_API]);
    const output = verdict(root, '--image', NEW_API, '--verdict', 'aborted', '--analysis-run', 'api-6d9f7c-2');
    expect(output).toContain('warning: no stable image of api in staging is known (no completed canary in releases/staging.verdicts.json, no earlier pin in Git\'s history); '
      + 'the pin still names the aborted image: pin the stable one with npm run rollback -- --service api --env staging --to IMAGE');
    expect(read(root, 'releases/staging.json').api).toBe(NEW_API);
    expect(read(root, 'releases/staging.verdicts.json').api[0].outcome).toBe('quarantined');
  });

  test('GIVEN an inconclusive pause WHEN recorded THEN it is recorded and no pin changes', () => {
    const root = tempRepo();
    const before = readTree(root);
    const output = verdict(root, '--image', STAGING_API, '--verdict', 'inconclusive', '--analysis-run', 'api-5c8e6b-2');
    expect(output).toContain("recorded api's canary in staging as inconclusive: the Rollout is paused, and a person promotes or aborts it");
    expect(changedFiles(before, readTree(root))).toEqual(['releases/staging.verdicts.json']);
    expect(read(root, 'releases/staging.verdicts.json').api[0]).toMatchObject({ outcome: 'inconclusive', analysisRuns: [{ name: 'api-5c8e6b-2', phase: 'Inconclusive' }] });
  });

  test('GIVEN a verdict for a digest no longer pinned WHEN recorded THEN it is stale and no pin changes', () => {
    const root = tempRepo();
    const output = verdict(root, '--image', `ghcr.io/acme/api@sha256:${OTHER_DIGEST}`, '--verdict', 'aborted', '--analysis-runs-json', runsFile(root, FAILED_RUNS));
    expect(output.split('\n')[0]).toBe(`recorded aborted of api in staging as stale: sha256:${OTHER_DIGEST} is not pinned there (${STAGING_API} is); no pin changed`);
    expect(read(root, 'releases/staging.json').api).toBe(STAGING_API);
    expect(read(root, 'releases/staging.verdicts.json').api[0].outcome).toBe('stale');
  });

  test('GIVEN the same verdict twice WHEN recorded THEN the second changes nothing', () => {
    const root = tempRepo();
    verdict(root, '--image', STAGING_API, '--verdict', 'completed', '--analysis-run', 'api-5c8e6b-2');
    const before = readTree(root);
    expect(verdict(root, '--image', STAGING_API, '--verdict', 'completed', '--analysis-run', 'api-5c8e6b-2'))
      .toBe('nothing to do: the completed verdict of api in staging for sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc is recorded already');
    expect(readTree(root)).toEqual(before);
  });

  test.each([
    ['an unknown service', ['--service', 'db'], "fleet: '--service' is 'db': is not a service of the fleet; use one of: api, web, or add it to fleet.ts"],
    ['an unknown environment', ['--env', 'qa'], "fleet: '--env' is 'qa': is not an environment of the fleet; use one of: staging, production"],
    ['a malformed image', ['--image', 'ghcr.io/acme/api@sha256:xyz'], "verdict: '--image' is 'ghcr.io/acme/api@sha256:xyz': is not a valid image reference"],
    ["another service's image", ['--image', `ghcr.io/acme/web@sha256:${DIGEST}`], "is not from 'ghcr.io/acme/api', the imageRepository of service 'api'"],
    ['an unknown verdict', ['--verdict', 'failed'], "verdict: '--verdict' is 'failed': is not a verdict; use one of: completed, aborted, inconclusive"],
    ['a time in the future', ['--at', '2026-12-03T10:00:01Z'], "verdict: '--at' is '2026-12-03T10:00:01Z': is in the future (now is 2026-12-03T10:00:00.000Z); give the time the canary ended"],
    ['a time that is none', ['--at', 'yesterday'], "verdict: '--at' is 'yesterday': must be an ISO 8601 time; e.g. --at 2026-12-03T09:00:00Z"],
    ['a missing verdict', ['--verdict', ''], "verdict: '--verdict' is '': is required; usage: npm run verdict -- --env ENV"],
  ])('GIVEN %s WHEN recorded THEN one error says so and nothing changes', (_, extra, message) => {
    const root = tempRepo();
    const before = readTree(root);
    const flags = { '--env': 'staging', '--service': 'api', '--image': STAGING_API, '--verdict': 'completed' } as Record<string, string>;
    for (let i = 0; i < extra.length; i += 2) flags[extra[i]] = extra[i + 1];
    expect(() => verdictCommand(fleet, root, Object.entries(flags).flat(), NOW)).toThrow(message);
    expect(readTree(root)).toEqual(before);
  });

  test.each([
    ['not JSON', '{', "cannot be read as JSON (Expected property name or '}' in JSON at position 1"],
    ['not in the shape', '[{"name": "api-1"}]', 'must be a JSON list of {name, phase, metrics?: [{name, phase, value?}]}'],
  ])('GIVEN AnalysisRuns %s WHEN recorded THEN it fails', (_, text, message) => {
    const root = tempRepo();
    const file = path.join(root, 'runs.json');
    fs.writeFileSync(file, text);
    expect(() => verdict(root, '--image', STAGING_API, '--verdict', 'completed', '--analysis-runs-json', file)).toThrow(message);
    expect(fs.existsSync(path.join(root, 'releases/staging.verdicts.json'))).toBe(false);
  });

  describe('from a request', () => {
    const body = (lines: string[]) => [VERDICT_ISSUE_MARKER, ...lines].join('\n');
    const completed = (service: string, image: string) => body(['environment: staging', `service: ${service}`, 'verdict: completed', `image: ${image} `, 'analysis-run: api-5c8e6b-2 Successful']);

    test('GIVEN a filed completion WHEN handled THEN it is recorded at the issue\'s creation time', () => {
      const root = tempRepo();
      verdictFromRequest(fleet, root, { body: completed('api', STAGING_API), createdAt: '2026-12-03T09:00:00Z' }, NOW);
      expect(read(root, 'releases/staging.verdicts.json').api[0]).toMatchObject({ outcome: 'verified', at: '2026-12-03T09:00:00.000Z' });
    });

    test.each([
      ['a wrong service', () => completed('db', STAGING_API), '2026-12-03T09:00:00Z', "fleet: 'service' is 'db': is not a service of the fleet"],
      ["another service's image", () => completed('web', STAGING_API), '2026-12-03T09:00:00Z', `verdict request: 'image' is '${STAGING_API}': is not from 'ghcr.io/acme/web', the imageRepository of service 'web'`],
      ['a creation time in the future', () => completed('api', STAGING_API), '2026-12-03T11:00:00Z', "verdict request: 'created_at' is '2026-12-03T11:00:00Z': must be an ISO 8601 time, not in the future"],
      ['an issue that is no verdict', () => 'please release api', '2026-12-03T09:00:00Z', "verdict request: 'body' is 'please release api': does not start with"],
    ])('GIVEN %s WHEN handled THEN it changes nothing', (_, given, createdAt, message) => {
      const root = tempRepo();
      const before = readTree(root);
      expect(() => verdictFromRequest(fleet, root, { body: given(), createdAt }, NOW)).toThrow(message);
      expect(readTree(root)).toEqual(before);
    });

    test('GIVEN a forged abort of an unknown digest WHEN handled THEN it is recorded as stale and no pin changes', () => {
      const root = tempRepo();
      const forged = body(['environment: staging', 'service: api', 'verdict: aborted', `image: ghcr.io/acme/api@sha256:${OTHER_DIGEST}`, 'analysis-run: x Failed']);
      verdictFromRequest(fleet, root, { body: forged, createdAt: '2026-12-03T09:00:00Z' }, NOW);
      expect(read(root, 'releases/staging.json').api).toBe(STAGING_API);
      expect(read(root, 'releases/staging.verdicts.json').api[0].outcome).toBe('stale');
    });
  });
});
