import * as fs from 'fs';
import * as path from 'path';
import { Duration } from 'cdk8s';
import { synthCommand } from '../../cli/synth';
import { Routing } from '../../lib/patterns';
import { Fleet, ServiceSettings } from '../../model';
import { FIXTURE_DEFINITION, fleet } from '../fixtures/fleet';
import { readTree, tempRepo } from '../helpers';

describe('synth', () => {
  test('GIVEN a pin file removing a deployed service WHEN synthesized THEN the prune guard refuses until --allow-prune', () => {
    const root = tempRepo();
    fs.writeFileSync(path.join(root, 'releases/production.json'), JSON.stringify({ api: JSON.parse(fs.readFileSync(path.join(root, 'releases/production.json'), 'utf-8')).api }));
    const before = readTree(path.join(root, 'dist'));
    expect(() => synthCommand(fleet, root, [])).toThrow("prune guard: 'dist/production/web' is 'removed': argo cd would prune everything it deployed; if the removal is intended, run again with --allow-prune");
    expect(readTree(path.join(root, 'dist'))).toEqual(before);
    synthCommand(fleet, root, ['--allow-prune']);
    expect(fs.existsSync(path.join(root, 'dist/production/web'))).toBe(false);
    expect(fs.existsSync(path.join(root, 'dist/argocd/production/apps/application-web-production.yaml'))).toBe(false);
  });

  test('GIVEN a service of fleet.ts pinned nowhere WHEN synthesized THEN a note says how to release it, in its first environment', () => {
    const cart = { name: 'cart', language: fleet.services[1].language, imageRepository: 'ghcr.io/acme/cart', port: 8080, environments: ['production'] };
    const withCart = new Fleet({ ...FIXTURE_DEFINITION, services: [...FIXTURE_DEFINITION.services, cart] });
    const output = synthCommand(withCart, tempRepo(), []).split('\n');
    expect(output.filter(line => line.includes('not deployed'))).toEqual([
      'note: cart: not deployed in production; release it with npm run release -- --service cart --env production --image ghcr.io/acme/cart@sha256:…',
    ]);
  });
});

describe('synth of a broken fleet', () => {
  /** The example fleet with `settings` added to every service in every environment. */
  const brokenFleet = (settings: ServiceSettings) => new Fleet({
    name: fleet.name,
    repoUrl: fleet.repoUrl,
    environments: [...fleet.environments],
    services: fleet.services.map(s => ({
      ...s,
      overrides: Object.fromEntries(fleet.environments.map(e => [e.name, { ...s.overrides?.[e.name], ...settings }])),
    })),
  });

  test.each<[string, ServiceSettings, string]>([
    ['a weight above 100, reported where fleet.ts sets it', { canaryWeights: [10, 150] }, "fleet.ts: 'services[api].overrides.staging.canaryWeights[1]' is 150: must be an integer from 1 to 100"],
    ['a zero analysis count', { analysisCount: 0 }, "staging-api/Service/Analysis: 'metrics[error-rate-vs-stable].count' is 0: must be a positive integer"],
    ['a fractional analysis interval', { analysisInterval: Duration.millis(1500) }, "staging-api/Service/Analysis: 'metrics[error-rate-vs-stable].interval' is '1.5s': must be a whole number of seconds of at least 1"],
    ['an invalid hostname', { routing: Routing.gatewayApi({ gateway: { name: 'public' }, hostnames: ['Shop!'] }) }, "staging-api/Service/HttpRoute: 'hostnames' is 'Shop!': must be a lowercase dns name"],
    ['an invalid environment variable name', { config: { 'LOG-LEVEL': 'info' } }, "staging-api/Service: 'config.LOG-LEVEL' is 'LOG-LEVEL': is not a valid environment variable name"],
  ])('GIVEN %s WHEN synthesized THEN it fails naming the construct and field, and dist/ is unchanged', (_, settings, message) => {
    const root = tempRepo();
    const before = readTree(root);
    expect(() => synthCommand(brokenFleet(settings), root, [])).toThrow(message);
    expect(readTree(root)).toEqual(before);
  });

  test('GIVEN a fleet whose api config holds an issuer url named like a token, with notSecret WHEN synthesized THEN dist/ holds the value and the reason on the ConfigMap', () => {
    // GIVEN the fixture fleet, api's settings adding TOKEN_ISSUER_URL and why it is no secret
    const [api, web] = FIXTURE_DEFINITION.services;
    const settings: ServiceSettings = {
      ...api.settings,
      config: { LOG_LEVEL: 'info', TOKEN_ISSUER_URL: 'https://auth.example.com/' },
      notSecret: { TOKEN_ISSUER_URL: 'the issuer url, public' },
    };
    const root = tempRepo();
    // WHEN synthesized
    synthCommand(new Fleet({ ...FIXTURE_DEFINITION, services: [{ ...api, settings }, web] }), root, []);
    // THEN each environment's ConfigMap of api holds the value, and says why it is plain text
    const configMaps = [...readTree(path.join(root, 'dist'))].filter(([file]) => /^(staging|production)\/api\/configmap-api-config-[0-9a-f]{10}\.yaml$/.test(file));
    expect(configMaps).toHaveLength(2);
    for (const [, text] of configMaps) {
      expect(text).toContain('infra-delivery.io/not-secret: \'{"TOKEN_ISSUER_URL":"the issuer url, public"}\'');
      expect(text).toContain('TOKEN_ISSUER_URL: https://auth.example.com/');
    }
  });
});
