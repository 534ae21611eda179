import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { writeOrLink } from '../../../../delivery/render/private/write-or-link';

describe('writeOrLink', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'link-'));
  const previous = path.join(dir, 'previous.yaml');
  fs.writeFileSync(previous, 'kind: A\n');

  test.each([
    ['the same content', 'kind: A\n', previous, false],
    ['other content of the same length', 'kind: B\n', previous, true],
    ['no previous file', 'kind: A\n', path.join(dir, 'missing.yaml'), true],
    ['nothing to compare with', 'kind: A\n', undefined, true],
  ])('GIVEN %s WHEN put in place THEN it is written only when it differs, and linked otherwise', (_, content, from, written) => {
    const target = path.join(dir, `${Math.random()}.yaml`);
    expect(writeOrLink(fs, target, content, from)).toBe(written);
    expect(fs.readFileSync(target, 'utf-8')).toBe(content);
    expect(fs.statSync(target).ino === fs.statSync(previous).ino).toBe(!written);
  });
});
