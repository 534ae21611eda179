import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readServiceFolders } from '../../../delivery/plan';

describe('readServiceFolders', () => {
  test('GIVEN a dist/ tree WHEN read THEN each env/service folder yields its objects, and the Argo CD and CI folders are skipped', () => {
    const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'dist-'));
    const write = (file: string, content: string) => {
      fs.mkdirSync(path.dirname(path.join(dist, file)), { recursive: true });
      fs.writeFileSync(path.join(dist, file), content);
    };
    write('staging/api/rollout-api.yaml', 'kind: Rollout\nmetadata: {name: api}\n---\nkind: Service\nmetadata: {name: api}\n');
    write('argocd/staging/root.yaml', 'kind: Application\nmetadata: {name: root}\n');
    write('ci/api/ci.yaml', 'name: ci\n');
    expect(readServiceFolders(dist)).toEqual([{
      environment: 'staging',
      service: 'api',
      objects: [{ kind: 'Rollout', metadata: { name: 'api' } }, { kind: 'Service', metadata: { name: 'api' } }],
    }]);
    expect(readServiceFolders(path.join(dist, 'missing'))).toEqual([]);
  });
});
