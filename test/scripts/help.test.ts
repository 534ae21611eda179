import { execFileSync } from 'child_process';
import * as path from 'path';
import { ROOT, readTree } from '../helpers';

// The npm scripts that are not commands of the table answer --help too, and change nothing.
describe('--help of the scripts', () => {
  test.each([
    ['import', 'bash', ['scripts/import-crds.sh', '--help'], 'usage: npm run import -- CRD_DIR'],
    ['validate:manifests', 'node', ['scripts/validate-manifests.mjs', '--help'], 'usage: npm run validate:manifests [-- FOLDER...]'],
    ['validate:workflows', 'node', ['--import', 'tsx', 'scripts/validate-workflows.mjs', '--help'], 'usage: npm run validate:workflows -- --forgejo-schema PATH'],
  ])('GIVEN npm run %s -- --help WHEN run THEN it prints its usage and an example and writes nothing', (_, command, args, usage) => {
    const before = readTree(path.join(ROOT, 'imports'));
    const output = execFileSync(command, args, { cwd: ROOT, encoding: 'utf-8' });
    expect(output.startsWith(usage)).toBe(true);
    expect(output).toContain('\nexample:\n  npm run ');
    expect(readTree(path.join(ROOT, 'imports'))).toEqual(before);
  });
});
