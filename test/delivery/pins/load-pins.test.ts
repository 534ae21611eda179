import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadPins } from '../../../delivery/pins';
import { Cluster } from '../../../lib/argocd';
import { Language } from '../../../lib/forgejo';
import { ImageRef } from '../../../lib/workload';
import { Fleet } from '../../../model';
import { DIGEST } from '../../helpers';

const FLEET = new Fleet({
  name: 'shop', repoUrl: 'https://forgejo.example.com/platform/infra.git',
  environments: ['staging', 'production'].map(name => ({ name, cluster: Cluster.inCluster(), namespace: name })),
  services: ['api', 'web'].map(name => ({ name, language: Language.NODE, imageRepository: `ghcr.io/acme/${name}`, port: 8080 })),
});

function repoWith(content: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pins-'));
  fs.mkdirSync(path.join(dir, 'releases'));
  fs.writeFileSync(path.join(dir, 'releases', 'staging.json'), content);
  return dir;
}

describe('loadPins', () => {
  test('GIVEN a pin file WHEN loaded and changed THEN every environment of the fleet has its pins', () => {
    const root = repoWith(JSON.stringify({ web: `ghcr.io/acme/web@sha256:${DIGEST}` }));
    const pins = loadPins(FLEET, root)
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
    expect(() => loadPins(FLEET, repoWith(content))).toThrow(message);
  });

  test('GIVEN a file in releases/ of no environment WHEN loaded THEN it is refused', () => {
    const root = repoWith('{}');
    fs.writeFileSync(path.join(root, 'releases', 'qa.json'), '{}');
    expect(() => loadPins(FLEET, root)).toThrow("releases/qa.json: 'file' is 'qa.json': is no pin file of an environment of the fleet; move it out of releases/, or add its environment to fleet.ts");
  });

  test('GIVEN an environment\'s build records and verdicts beside its pins WHEN loaded THEN both are accepted, and a verdicts file of no environment is refused', () => {
    const root = repoWith('{}');
    for (const name of ['staging.builds.json', 'staging.verdicts.json', 'production.verdicts.json']) fs.writeFileSync(path.join(root, 'releases', name), '{}');
    expect(loadPins(FLEET, root).services('staging')).toEqual([]);
    fs.writeFileSync(path.join(root, 'releases', 'qa.verdicts.json'), '{}');
    expect(() => loadPins(FLEET, root)).toThrow("releases/qa.verdicts.json: 'file' is 'qa.verdicts.json': is no pin file of an environment of the fleet");
  });
});
