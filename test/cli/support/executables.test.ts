import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { findExecutable, pathFolders } from '../../../cli/support/executables';

describe('findExecutable', () => {
  test('GIVEN folders WHEN searched THEN the first that holds the name wins, and none gives undefined', () => {
    const [first, second] = [fs.mkdtempSync(path.join(os.tmpdir(), 'a-')), fs.mkdtempSync(path.join(os.tmpdir(), 'b-'))];
    fs.writeFileSync(path.join(second, 'tool'), '');
    expect(findExecutable('tool', [first, second])).toBe(path.join(second, 'tool'));
    expect(findExecutable('missing', [first, second])).toBeUndefined();
  });

  test('GIVEN PATH WHEN split THEN every folder is listed and empty entries dropped', () => {
    expect(pathFolders()).toEqual((process.env.PATH ?? '').split(path.delimiter).filter(Boolean));
    expect(findExecutable('node')).toBeDefined();
  });
});
