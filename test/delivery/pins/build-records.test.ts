import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BuildRecords } from '../../../delivery/pins';

const repoWith = (content?: string) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'builds-'));
  fs.mkdirSync(path.join(root, 'releases'));
  if (content !== undefined) fs.writeFileSync(path.join(root, 'releases/staging.builds.json'), content);
  return root;
};

describe('BuildRecords', () => {
  test('GIVEN no file WHEN loaded THEN nothing is recorded; a record added renders sorted, with a final newline', () => {
    const records = BuildRecords.load(repoWith(), 'staging');
    expect(records.get('api')).toBeUndefined();
    expect(records.file).toBe('releases/staging.builds.json');
    const next = records.with('web', { image: 'i2', commit: 'b', builtAt: '2026-01-02T00:00:00Z' }).with('api', { image: 'i1', commit: 'a', builtAt: '2026-01-01T00:00:00Z' });
    expect(next.render()).toBe(`${JSON.stringify({
      api: { image: 'i1', commit: 'a', builtAt: '2026-01-01T00:00:00Z' },
      web: { image: 'i2', commit: 'b', builtAt: '2026-01-02T00:00:00Z' },
    }, null, 2)}\n`);
    expect(BuildRecords.load(repoWith(next.render()), 'staging').get('web')).toEqual({ image: 'i2', commit: 'b', builtAt: '2026-01-02T00:00:00Z' });
  });

  test.each([
    ['invalid json', '{', "releases/staging.builds.json: 'content' is"],
    ['a record without a time', '{"api": {"image": "i", "commit": "a"}}', `releases/staging.builds.json: 'api' is {"image":"i","commit":"a"}: must be {image, commit, builtAt} with an ISO 8601 time`],
  ])('GIVEN %s WHEN loaded THEN it fails naming the file and the fix', (_, content, message) => {
    expect(() => BuildRecords.load(repoWith(content), 'staging')).toThrow(message);
  });
});
