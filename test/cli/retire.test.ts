import * as fs from 'fs';
import * as path from 'path';
import { releaseCommand } from '../../cli/release';
import { retireCommand } from '../../cli/retire';
import { synthCommand } from '../../cli/synth';
import { Fleet } from '../../model';
import { FIXTURE_DEFINITION, fleet } from '../fixtures/fleet';
import { DIGEST, changedFiles, readTree, tempRepo } from '../helpers';

const pinsOf = (root: string, env: string) => JSON.parse(fs.readFileSync(path.join(root, `releases/${env}.json`), 'utf-8')) as Record<string, string>;
const exists = (root: string, file: string) => fs.existsSync(path.join(root, file));

/** The fixture fleet once `web` was deleted from its definition. */
const withoutWeb = new Fleet({ ...FIXTURE_DEFINITION, services: FIXTURE_DEFINITION.services.filter(s => s.name !== 'web') });

describe('retire', () => {
  test('GIVEN web in both environments WHEN retired from production THEN its pin, folder and Application go there alone, and the output says what Argo CD deletes and what was written', () => {
    const root = tempRepo();
    const before = readTree(root);
    const output = retireCommand(fleet, root, ['--service', 'web', '--env', 'production']).split('\n');
    expect(output.slice(0, 3)).toEqual([
      'retired web from production: removed its pins',
      'argo cd will delete in production (namespace shop): AnalysisTemplate/web-canary, HTTPRoute/web, PodDisruptionBudget/web, PodMonitor/web, Rollout/web, Service/web, Service/web-canary, Service/web-stable',
      'removed dist/production/web/',
    ]);
    expect(output[3]).toMatch(/^synthesized \d+ files into dist\/ and .*releases\/production\.json; \d+ changed$/);
    expect(pinsOf(root, 'production')).toEqual({ api: expect.stringContaining('ghcr.io/acme/api') });
    expect(Object.keys(pinsOf(root, 'staging'))).toEqual(['api', 'web']);
    expect(changedFiles(before, readTree(root)).filter(f => !f.startsWith('dist/production/web/'))).toEqual([
      'dist/argocd/production/apps/application-web-production.yaml',
      'dist/argocd/production/apps/appproject-shop-production.yaml',
      'releases/production.json',
    ]);
    expect(exists(root, 'dist/staging/web')).toBe(true);
    expect(exists(root, 'dist/ci/web')).toBe(true);
  });

  test('GIVEN a recorded build WHEN the service is retired everywhere while in fleet.ts THEN pins and records go, its CI stays, and synth says it is not deployed', () => {
    const root = tempRepo();
    releaseCommand(fleet, root, ['--service', 'api', '--env', 'staging', '--image', `ghcr.io/acme/api@sha256:${DIGEST}`, '--source-commit', 'abcdef1', '--built-at', '2026-11-27T10:00:00Z']);
    const output = retireCommand(fleet, root, ['--service', 'api']);
    expect(output.split('\n')[0]).toBe('retired api from staging, production: removed its pins and build records');
    expect(output).toContain('argo cd will delete in production (namespace shop): AnalysisTemplate/api-canary, ConfigMap/api-config-');
    expect(output).toContain('removed dist/staging/api/, dist/production/api/\napi is still in fleet.ts, now not deployed anywhere; remove it there to drop its CI workflows (dist/ci/api/)');
    expect(JSON.parse(fs.readFileSync(path.join(root, 'releases/staging.builds.json'), 'utf-8'))).toEqual({});
    expect(['dist/staging/api', 'dist/production/api'].filter(f => exists(root, f))).toEqual([]);
    expect(exists(root, 'dist/ci/api')).toBe(true);
    expect(synthCommand(fleet, root, []).split('\n')).toContain(
      'note: api: not deployed in staging, production; release it with npm run release -- --service api --env staging --image ghcr.io/acme/api@sha256:…',
    );
  });

  test('GIVEN web removed from fleet.ts with its pins left WHEN synthesized THEN it fails pointing at retire, and retire removes its pins, folders and CI', () => {
    const root = tempRepo();
    expect(() => synthCommand(withoutWeb, root, [])).toThrow(
      `releases/staging.json: 'web' is 'ghcr.io/acme/web@sha256:${'e'.repeat(64)}': is not a service of the fleet; retire it with npm run retire -- --service web, or add the service to fleet.ts`,
    );
    const output = retireCommand(withoutWeb, root, ['--service', 'web']);
    expect(output).toContain('removed dist/staging/web/, dist/production/web/, dist/ci/web/');
    expect(output).not.toContain('still in fleet.ts');
    expect(['dist/staging/web', 'dist/production/web', 'dist/ci/web'].filter(f => exists(root, f))).toEqual([]);
    expect(synthCommand(withoutWeb, root, [])).toMatch(/^synthesized \d+ files into dist\/ and \.forgejo\/workflows\/\S+(, \.forgejo\/workflows\/\S+)*; 0 changed/);
  });

  test('GIVEN a refused retire WHEN it fails THEN nothing is written', () => {
    const root = tempRepo();
    retireCommand(fleet, root, ['--service', 'web', '--env', 'production']);
    const before = readTree(root);
    expect(() => retireCommand(fleet, root, ['--service', 'web', '--env', 'production'])).toThrow("retire: '--env' is 'production': web has no pin in production, so there is nothing to retire; retire it where it runs: staging");
    expect(readTree(root)).toEqual(before);
  });

  test.each([
    [['--env', 'staging'], "retire: '--service' is unset: is required; usage: npm run retire -- --service NAME [--env ENV]"],
    [['--service', 'api', '--env', 'qa'], "fleet: '--env' is 'qa': is not an environment of the fleet; use one of: staging, production"],
    [['--service', 'db'], "retire: '--service' is 'db': is neither a service of fleet.ts nor pinned in any environment; see what runs where with npm run fleet"],
    [['--service', 'api', '--force'], "retire: 'argv' is '--service api --force': unknown option '--force'"],
  ])('GIVEN %j WHEN retired THEN it fails naming the flag', (argv, message) => {
    expect(() => retireCommand(fleet, tempRepo(), argv)).toThrow(message);
  });

  test('GIVEN a service of fleet.ts pinned nowhere WHEN retired THEN it says there is nothing to retire', () => {
    const root = tempRepo();
    retireCommand(fleet, root, ['--service', 'api']);
    expect(() => retireCommand(fleet, root, ['--service', 'api'])).toThrow("retire: '--service' is 'api': has no pin in any environment, so there is nothing to retire; see what runs where with npm run fleet");
  });
});
