import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * Gives the test run a temporary folder of its own: the tests, the workers and the processes they
 * start create theirs under it (`os.tmpdir()` reads TMPDIR), and temp-dir-teardown.ts removes it, so
 * runs do not pile up thousands of folders in /tmp.
 */
export default function tempDirSetup(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'infra-jest-'));
  process.env.INFRA_TEST_TMPDIR = dir;
  process.env.TMPDIR = dir;
}
