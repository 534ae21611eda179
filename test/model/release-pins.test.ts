import { ImageRef } from '../../lib/workload';
import { ReleasePins } from '../../model';
import { DIGEST } from '../helpers';

describe('ReleasePins', () => {
  test('GIVEN pins in memory WHEN built THEN they read like loaded ones, and a malformed ref names where it is', () => {
    const pins = ReleasePins.of({ staging: { api: `ghcr.io/acme/api@sha256:${DIGEST}` } });
    expect(pins.get('staging', 'api')!.toString()).toBe(`ghcr.io/acme/api@sha256:${DIGEST}`);
    expect(pins.services('staging')).toEqual(['api']);
    expect(() => ReleasePins.of({ staging: { api: 'ghcr.io/acme/api:latest' } })).toThrow("pins/staging: 'api' is 'ghcr.io/acme/api:latest': uses the tag 'latest' and no digest");
  });
});

test('GIVEN pins WHEN rendered THEN keys are sorted and the file ends with a newline', () => {
  const pins = ReleasePins.of({ staging: { web: `ghcr.io/acme/web@sha256:${DIGEST}` } }).with('staging', 'api', ImageRef.parse(`ghcr.io/acme/api@sha256:${DIGEST}`, 'x'));
  expect(pins.services('staging')).toEqual(['api', 'web']);
  expect(pins.render('staging')).toBe(`{\n  "api": "ghcr.io/acme/api@sha256:${DIGEST}",\n  "web": "ghcr.io/acme/web@sha256:${DIGEST}"\n}\n`);
  expect(pins.file('staging')).toBe('releases/staging.json');
});

test('GIVEN pins WHEN a service is taken out of one environment THEN only that pin goes', () => {
  const pins = ReleasePins.of({ staging: { api: `ghcr.io/acme/api@sha256:${DIGEST}`, web: `ghcr.io/acme/web@sha256:${DIGEST}` }, production: { api: `ghcr.io/acme/api@sha256:${DIGEST}` } });
  const without = pins.without('staging', 'api');
  expect(without.services('staging')).toEqual(['web']);
  expect(without.services('production')).toEqual(['api']);
  expect(pins.services('staging')).toEqual(['api', 'web']);
});
