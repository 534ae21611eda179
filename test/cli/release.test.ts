import * as fs from 'fs';
import * as path from 'path';
import { releaseCommand } from '../../cli/release';
import { fleet } from '../../fleet';
import { DIGEST, changedFiles, readTree, tempRepo } from '../helpers';

const NEW_API = `ghcr.io/acme/api:1.5.0@sha256:${DIGEST}`;

describe('release', () => {
  test('GIVEN a pinned ref WHEN released THEN only the pin and that service in that environment change', () => {
    const root = tempRepo();
    const before = readTree(root);
    const output = releaseCommand(fleet, root, ['--service', 'api', '--env', 'staging', '--image', NEW_API]);
    expect(output).toContain(`pinned api in staging to ${NEW_API}`);
    expect(changedFiles(before, readTree(root))).toEqual(['dist/staging/api/rollout-api.yaml', 'releases/staging.json']);
    expect(JSON.parse(fs.readFileSync(path.join(root, 'releases/staging.json'), 'utf-8')).api).toBe(NEW_API);
    expect(fs.readFileSync(path.join(root, 'dist/staging/api/rollout-api.yaml'), 'utf-8')).toContain(`image: ${NEW_API}`);
  });

  test.each([
    ['an unknown service', ['--service', 'db', '--env', 'staging', '--image', NEW_API], "fleet: '--service' is 'db': is not a service of the fleet; use one of: api, web, or add it to fleet.ts"],
    ['an unknown environment', ['--service', 'api', '--env', 'qa', '--image', NEW_API], "fleet: '--env' is 'qa': is not an environment of the fleet; use one of: staging, production"],
    ['a malformed ref', ['--service', 'api', '--env', 'staging', '--image', 'ghcr.io/acme/api@sha256:xyz'], "release: '--image' is 'ghcr.io/acme/api@sha256:xyz': is not a valid image reference"],
    ['a tag without a digest', ['--service', 'api', '--env', 'staging', '--image', 'ghcr.io/acme/api:1.5.0'], "release: '--image' is 'ghcr.io/acme/api:1.5.0': has a tag but no digest"],
    ['latest', ['--service', 'api', '--env', 'staging', '--image', 'ghcr.io/acme/api:latest'], "release: '--image' is 'ghcr.io/acme/api:latest': uses the tag 'latest' and no digest"],
    ["another service's image", ['--service', 'web', '--env', 'staging', '--image', NEW_API], "is not from 'ghcr.io/acme/web', the imageRepository of service 'web'"],
    ['a missing flag', ['--service', 'api', '--env', 'staging'], "release: '--image' is unset: is required; usage: npm run release -- --service NAME --env ENV --image"],
    ['an unknown flag', ['--service', 'api', '--envv', 'staging'], "unknown option '--envv'"],
  ])('GIVEN %s WHEN released THEN it fails clearly and no file changes', (_, argv, message) => {
    const root = tempRepo();
    const before = readTree(root);
    expect(() => releaseCommand(fleet, root, argv)).toThrow(message);
    expect(readTree(root)).toEqual(before);
  });
});
