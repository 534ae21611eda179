import * as fs from 'fs';
import * as path from 'path';
import { releaseCommand } from '../../cli/release';
import { systemProblem } from '../../cli/support/command';
import { fleet } from '../fixtures/fleet';
import { DIGEST, OTHER_DIGEST, changedFiles, readTree, tempRepo } from '../helpers';

jest.mock('fs', () => {
  const actual = jest.requireActual<typeof import('fs')>('fs');
  // The real write, which a test can make fail as a full disk does.
  return { ...actual, writeFileSync: jest.fn(actual.writeFileSync) };
});

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

  test.each([
    ['ENOSPC', 'the disk is full; free some disk space and run the command again; nothing was committed'],
    ['EDQUOT', 'the disk quota is used up; free some space and run the command again; nothing was committed'],
  ])('GIVEN a disk that fills (%s) while the release writes the rollout WHEN released THEN one error line names that file and the fix, and dist/ and releases/ are as they were', (code, words) => {
    // GIVEN a write(2) of the rollout that fails with no path, as a full disk makes it
    const root = tempRepo();
    const before = readTree(root);
    const write = jest.requireActual<typeof import('fs')>('fs').writeFileSync;
    jest.mocked(fs.writeFileSync).mockImplementation((file, ...rest) => {
      if (String(file).endsWith(path.join('dist', 'staging', 'api', 'rollout-api.yaml'))) throw Object.assign(new Error(`${code}: no space left on device, write`), { code, syscall: 'write' });
      return write(file, ...rest);
    });
    // WHEN released
    let error: unknown;
    try {
      releaseCommand(fleet, root, ['--service', 'api', '--env', 'staging', '--image', NEW_API]);
    } catch (e) {
      error = e;
    } finally {
      jest.mocked(fs.writeFileSync).mockImplementation(write);
    }
    // THEN the line the command prints names the file, the call and the fix; nothing changed
    expect(`error: ${systemProblem(error)}`).toBe(`error: dist/staging/api/rollout-api.yaml: 'write' is '${code}': ${words}`);
    expect(readTree(root)).toEqual(before);
  });

  describe('with the build recorded', () => {
    const build = (commit: string, at: string) => ['--source-commit', commit, '--built-at', at];
    const api = (digest: string) => ['--service', 'api', '--env', 'staging', '--image', `ghcr.io/acme/api@sha256:${digest}`];

    test('GIVEN a newer build pinned WHEN an older one is released THEN it says there is nothing to release, succeeds and nothing changes', () => {
      const root = tempRepo();
      releaseCommand(fleet, root, [...api(DIGEST), ...build('a'.repeat(40), '2026-11-27T10:05:00Z')]);
      expect(JSON.parse(fs.readFileSync(path.join(root, 'releases/staging.builds.json'), 'utf-8')))
        .toEqual({ api: { image: `ghcr.io/acme/api@sha256:${DIGEST}`, commit: 'a'.repeat(40), builtAt: '2026-11-27T10:05:00Z' } });
      const before = readTree(root);
      expect(releaseCommand(fleet, root, [...api(OTHER_DIGEST), ...build('b'.repeat(40), '2026-11-27T10:01:00Z')])).toBe(
        `nothing to release: a newer build is pinned (api in staging runs commit ${'a'.repeat(40)}, built at 2026-11-27T10:05:00Z; `
        + `this build of commit ${'b'.repeat(40)} is from 2026-11-27T10:01:00Z); to go back to it, use npm run rollback`,
      );
      expect(readTree(root)).toEqual(before);
      releaseCommand(fleet, root, [...api(OTHER_DIGEST), ...build('c'.repeat(40), '2026-11-27T10:09:00Z')]);
      expect(JSON.parse(fs.readFileSync(path.join(root, 'releases/staging.json'), 'utf-8')).api).toBe(`ghcr.io/acme/api@sha256:${OTHER_DIGEST}`);
    });

    test.each([
      ['a commit that is no sha', build('main', '2026-11-27T10:00:00Z'), "release: '--source-commit' is 'main': must be the hex commit the image was built from"],
      ['no time', ['--source-commit', 'a'.repeat(40)], "release: '--built-at' is unset: must be an ISO 8601 time"],
      ['a time that is none', build('a'.repeat(40), 'yesterday'), "release: '--built-at' is 'yesterday': must be an ISO 8601 time"],
      ['a bare number, which Date.parse reads as 2001', build('a'.repeat(40), '1'), "release: '--built-at' is '1': must be an ISO 8601 time with a zone, e.g. 2026-01-01T12:00:00Z; pass the commit time"],
      ['a time without a zone', build('a'.repeat(40), '2026-11-27T10:00:00'), "release: '--built-at' is '2026-11-27T10:00:00': must be an ISO 8601 time with a zone"],
      ['a time before 2000', build('a'.repeat(40), '1999-12-31T23:59:59Z'), "release: '--built-at' is '1999-12-31T23:59:59Z': is before 2000-01-01; pass the commit time"],
      ['a time in the future', build('a'.repeat(40), '2999-01-01T00:00:00Z'), "release: '--built-at' is '2999-01-01T00:00:00Z': is more than 5 minutes in the future; pass the commit time, e.g. ${{ github.event.head_commit.timestamp }}, with --source-commit, and check the build machine's clock"],
    ])('GIVEN %s WHEN released THEN it fails with the fix and no file changes', (_, extra, message) => {
      const root = tempRepo();
      const before = readTree(root);
      expect(() => releaseCommand(fleet, root, [...api(DIGEST), ...extra])).toThrow(message);
      expect(readTree(root)).toEqual(before);
    });

    test('GIVEN a build recorded WHEN the service is released by hand, without a build THEN the record naming the old image is removed', () => {
      const root = tempRepo();
      releaseCommand(fleet, root, [...api(DIGEST), ...build('a'.repeat(40), '2026-11-27T10:05:00Z')]);
      releaseCommand(fleet, root, api(OTHER_DIGEST));
      expect(JSON.parse(fs.readFileSync(path.join(root, 'releases/staging.builds.json'), 'utf-8'))).toEqual({});
    });
  });
});
