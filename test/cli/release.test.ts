import * as fs from 'fs';
import * as path from 'path';
import { releaseCommand } from '../../cli/release';
import { fleet } from '../fixtures/fleet';
import { DIGEST, OTHER_DIGEST, changedFiles, readTree, tempRepo } from '../helpers';

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

  describe('with the build recorded', () => {
    const build = (commit: string, at: string) => ['--source-commit', commit, '--built-at', at];
    const api = (digest: string) => ['--service', 'api', '--env', 'staging', '--image', `ghcr.io/acme/api@sha256:${digest}`];

    test('GIVEN a newer build pinned WHEN an older one is released THEN it is refused and nothing changes', () => {
      const root = tempRepo();
      releaseCommand(fleet, root, [...api(DIGEST), ...build('a'.repeat(40), '2026-11-27T10:05:00Z')]);
      expect(JSON.parse(fs.readFileSync(path.join(root, 'releases/staging.builds.json'), 'utf-8')))
        .toEqual({ api: { image: `ghcr.io/acme/api@sha256:${DIGEST}`, commit: 'a'.repeat(40), builtAt: '2026-11-27T10:05:00Z' } });
      const before = readTree(root);
      expect(() => releaseCommand(fleet, root, [...api(OTHER_DIGEST), ...build('b'.repeat(40), '2026-11-27T10:01:00Z')])).toThrow(
        `release: '--built-at' is '2026-11-27T10:01:00Z': is older than the build of api pinned in staging now (commit ${'a'.repeat(40)}, built at 2026-11-27T10:05:00Z); `
        + 'nothing to release: the newer build stays',
      );
      expect(readTree(root)).toEqual(before);
      releaseCommand(fleet, root, [...api(OTHER_DIGEST), ...build('c'.repeat(40), '2026-11-27T10:09:00Z')]);
      expect(JSON.parse(fs.readFileSync(path.join(root, 'releases/staging.json'), 'utf-8')).api).toBe(`ghcr.io/acme/api@sha256:${OTHER_DIGEST}`);
    });

    test.each([
      ['a commit that is no sha', build('main', '2026-11-27T10:00:00Z'), "release: '--source-commit' is 'main': must be the hex commit the image was built from"],
      ['no time', ['--source-commit', 'a'.repeat(40)], "release: '--built-at' is unset: must be an ISO 8601 time"],
      ['a time that is none', build('a'.repeat(40), 'yesterday'), "release: '--built-at' is 'yesterday': must be an ISO 8601 time"],
    ])('GIVEN %s WHEN released THEN it fails with the fix', (_, extra, message) => {
      expect(() => releaseCommand(fleet, tempRepo(), [...api(DIGEST), ...extra])).toThrow(message);
    });
  });
});
