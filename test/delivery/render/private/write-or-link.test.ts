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

  test.each([['ENOSPC'], ['EDQUOT']])('GIVEN a write that fails with %s, which names no file WHEN put in place THEN the error names the file written', code => {
    // GIVEN a file system whose write(2) fails as a full disk or a used-up quota does: with a code, and no path
    const full = Object.assign(new Error(`${code}: no space left on device, write`), { code, syscall: 'write' });
    const failing: typeof fs = { ...fs, writeFileSync: () => { throw full; } };
    const target = path.join(dir, 'full.yaml');
    // WHEN the file is put in place; THEN the same error comes back, naming the target
    expect(() => writeOrLink(failing, target, 'kind: A\n', undefined)).toThrow(full);
    expect(full).toMatchObject({ code, syscall: 'write', path: target });
  });

  test('GIVEN a failure that names its own path WHEN put in place THEN that path is kept', () => {
    const denied = Object.assign(new Error('EACCES: permission denied, open'), { code: 'EACCES', syscall: 'open', path: '/elsewhere' });
    const failing: typeof fs = { ...fs, writeFileSync: () => { throw denied; } };
    expect(() => writeOrLink(failing, path.join(dir, 'denied.yaml'), 'kind: A\n', undefined)).toThrow(denied);
    expect(denied.path).toBe('/elsewhere');
  });
});
