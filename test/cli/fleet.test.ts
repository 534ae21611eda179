import { fleetCommand } from '../../cli/fleet';
import { releaseCommand } from '../../cli/release';
import { verdictCommand } from '../../cli/verdict';
import { fleet } from '../fixtures/fleet';
import { DIGEST, tempRepo } from '../helpers';

const STAGING_API = 'ghcr.io/acme/api:2.0.1@sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc';
const NOW = new Date('2026-12-03T10:00:00Z');

describe('fleet', () => {
  test('GIVEN the example fleet WHEN listed THEN the table and the JSON show every pin, pending without a verdict', () => {
    const root = tempRepo();
    const table = fleetCommand(fleet, root, [], NOW).split('\n');
    expect(table[0]).toMatch(/^SERVICE\s+LANGUAGE\s+STAGING\s+PRODUCTION$/);
    expect(table[1]).toMatch(/^api\s+python\s+ghcr\.io\/acme\/api:2\.0\.1@sha256:[0-9a-f]{64} \(pending\)/);
    const json = JSON.parse(fleetCommand(fleet, root, ['--json'], NOW));
    expect(json.environments).toEqual(['staging', 'production']);
    expect(json.services.map((s: { service: string }) => s.service)).toEqual(['api', 'web']);
    expect(json.services[0].images.production).toMatch(/^ghcr\.io\/acme\/api:2\.0\.0@sha256:[0-9a-f]{64}$/);
    expect(json.services[0].verdicts.production).toEqual({ state: 'pending' });
  });

  test('GIVEN a verified pin WHEN listed THEN it says when, and the soak left', () => {
    const root = tempRepo();
    verdictCommand(fleet, root, ['--env', 'staging', '--service', 'api', '--image', STAGING_API, '--verdict', 'completed', '--analysis-run', 'api-5c8e6b-2', '--at', '2026-12-03T09:48:00Z'], NOW);
    expect(fleetCommand(fleet, root, [], NOW).split('\n')[1]).toContain(`${STAGING_API} (verified 2026-12-03T09:48:00.000Z, soak 18 minutes left)`);
    expect(JSON.parse(fleetCommand(fleet, root, ['--json'], NOW)).services[0].verdicts.staging)
      .toEqual({ state: 'verified', at: '2026-12-03T09:48:00.000Z', soakRemainingMs: 18 * 60_000 });
    expect(fleetCommand(fleet, root, [], new Date('2026-12-03T10:30:00Z')).split('\n')[1]).toContain('(verified 2026-12-03T09:48:00.000Z, soaked)');
  });

  test('GIVEN an abort by a failed analysis WHEN listed THEN the reverted pin names the aborted canary and the run that quarantined it', () => {
    const root = tempRepo();
    verdictCommand(fleet, root, ['--env', 'staging', '--service', 'api', '--image', STAGING_API, '--verdict', 'completed', '--at', '2026-12-03T09:00:00Z'], NOW);
    releaseCommand(fleet, root, ['--service', 'api', '--env', 'staging', '--image', `ghcr.io/acme/api@sha256:${DIGEST}`]);
    verdictCommand(fleet, root, ['--env', 'staging', '--service', 'api', '--image', `ghcr.io/acme/api@sha256:${DIGEST}`, '--verdict', 'aborted', '--analysis-run', 'api-6d9f7c-2', '--at', '2026-12-03T09:30:00Z'], NOW);
    expect(fleetCommand(fleet, root, [], NOW).split('\n')[1]).toContain(
      `${STAGING_API} (unverified (completed 2026-12-03T09:00:00.000Z without every analysis Successful); `
      + 'last canary sha256:aaaaaaaaaaaa… aborted 2026-12-03T09:30:00.000Z and quarantined by api-6d9f7c-2)',
    );
  });

  test('GIVEN an inconclusive canary WHEN listed THEN it says so, naming the run', () => {
    const root = tempRepo();
    verdictCommand(fleet, root, ['--env', 'staging', '--service', 'api', '--image', STAGING_API, '--verdict', 'inconclusive', '--analysis-run', 'api-5c8e6b-2', '--at', '2026-12-03T09:00:00Z'], NOW);
    expect(fleetCommand(fleet, root, [], NOW).split('\n')[1]).toContain('(inconclusive by api-5c8e6b-2 2026-12-03T09:00:00.000Z)');
  });
});
