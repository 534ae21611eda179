import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ImageRef, ReleasePins } from '../../../lib/fleet';
import { DIGEST } from '../../helpers';

function repoWith(content: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pins-'));
  fs.mkdirSync(path.join(dir, 'releases'));
  fs.writeFileSync(path.join(dir, 'releases', 'staging.json'), content);
  return dir;
}

describe('ReleasePins', () => {
  test('GIVEN a pin file WHEN loaded, changed and rendered THEN keys are sorted and the file ends with a newline', () => {
    const root = repoWith(JSON.stringify({ web: `ghcr.io/acme/web@sha256:${DIGEST}` }));
    const pins = ReleasePins.load(root, ['staging', 'production'])
      .with('staging', 'api', ImageRef.parse(`ghcr.io/acme/api@sha256:${DIGEST}`, 'x'));
    expect(pins.services('staging')).toEqual(['api', 'web']);
    expect(pins.services('production')).toEqual([]);
    expect(pins.render('staging')).toBe(`{\n  "api": "ghcr.io/acme/api@sha256:${DIGEST}",\n  "web": "ghcr.io/acme/web@sha256:${DIGEST}"\n}\n`);
    expect(pins.file('staging')).toBe('releases/staging.json');
  });

  test.each([
    ['invalid json', '{"api": ', "releases/staging.json: 'content' is 'Unexpected end of JSON input': is not valid json; restore it with 'git checkout -- releases/staging.json'"],
    ['an array', '[]', "releases/staging.json: 'content' is []: must be an object of service name to image ref"],
    ['a number pin', '{"api": 1}', "releases/staging.json: 'api' is 1: a pin must be a string"],
    ['an unpinned ref', '{"api": "ghcr.io/acme/api:1.0"}', "releases/staging.json: 'api' is 'ghcr.io/acme/api:1.0': has a tag but no digest"],
  ])('GIVEN %s WHEN loaded THEN it fails naming the file', (_, content, message) => {
    expect(() => ReleasePins.load(repoWith(content), ['staging'])).toThrow(message);
  });

  test('GIVEN pins in memory WHEN built THEN they read like loaded ones, and a malformed ref names where it is', () => {
    const pins = ReleasePins.of({ staging: { api: `ghcr.io/acme/api@sha256:${DIGEST}` } });
    expect(pins.get('staging', 'api')!.toString()).toBe(`ghcr.io/acme/api@sha256:${DIGEST}`);
    expect(pins.services('staging')).toEqual(['api']);
    expect(() => ReleasePins.of({ staging: { api: 'ghcr.io/acme/api:latest' } })).toThrow("pins/staging: 'api' is 'ghcr.io/acme/api:latest': uses the tag 'latest' and no digest");
  });
});
