import * as fs from 'fs';
import * as path from 'path';
import { FLEET_COMMAND, fleetCommand } from '../../cli/fleet';
import { FIXTURE_PINS, fleet } from '../fixtures/fleet';
import { tempRepo } from '../helpers';

describe('fleet', () => {
  test('GIVEN the fixture fleet WHEN listed THEN the table and the JSON show every pin', () => {
    const root = tempRepo();
    const table = fleetCommand(fleet, root, []).split('\n');
    expect(table[0]).toMatch(/^SERVICE\s+LANGUAGE\s+STAGING\s+PRODUCTION$/);
    expect(table[1]).toMatch(/^api\s+python\s+ghcr\.io\/acme\/api:2\.0\.1@sha256:c{64}  /);
    const json = JSON.parse(fleetCommand(fleet, root, ['--json']));
    expect(json.environments).toEqual(['staging', 'production']);
    expect(json.services.map((s: { service: string }) => s.service)).toEqual(['api', 'web']);
    expect(json.services[0].images.production).toBe(FIXTURE_PINS.production.api);
  });

  test('GIVEN a pending commit journal WHEN the fleet is listed THEN stderr warns how to complete it, and the listing is unchanged', async () => {
    const root = tempRepo();
    const listing = fleetCommand(fleet, root, []);
    fs.writeFileSync(path.join(root, '.synth-commit.json'), '{}');
    const said: string[] = [];
    expect(await FLEET_COMMAND.run({ root, fleet: () => fleet, progress: m => said.push(m) }, [])).toBe(listing);
    expect(said).toEqual(['warning: .synth-commit.json: a commit interrupted by a crash is pending, so dist/ and releases/ may hold a mix of two states; run npm run synth to complete it']);
  });
});
