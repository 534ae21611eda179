import * as fs from 'fs';
import * as path from 'path';
import { promoteCommand } from '../../cli/promote';
import { fleet } from '../../fleet';
import { changedFiles, readTree, tempRepo } from '../helpers';

describe('promote', () => {
  test('GIVEN a staging pin WHEN promoted THEN production gets the same image and only its files change', () => {
    const root = tempRepo();
    const before = readTree(root);
    promoteCommand(fleet, root, ['--service', 'api', '--from', 'staging', '--to', 'production']);
    const staging = JSON.parse(fs.readFileSync(path.join(root, 'releases/staging.json'), 'utf-8'));
    const production = JSON.parse(fs.readFileSync(path.join(root, 'releases/production.json'), 'utf-8'));
    expect(production.api).toBe(staging.api);
    expect(changedFiles(before, readTree(root))).toEqual(['dist/production/api/rollout-api.yaml', 'releases/production.json']);
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
});
