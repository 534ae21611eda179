import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthCommand } from '../cli/synth';
import { loadPins } from '../delivery/pins';
import { fleet } from '../fleet';
import { Layout } from '../model';
import { ROOT, readTree, tempRepo } from './helpers';

// The repository's own fleet (fleet.ts, releases/, dist/): only what must hold for any fleet is checked
// here, never its services by name, so a team's first release or new service keeps it green.

/** A temporary copy of the repository's releases/, without output. */
function exampleRepo(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'infra-example-'));
  fs.cpSync(path.join(ROOT, Layout.releases), path.join(dir, Layout.releases), { recursive: true });
  return dir;
}

describe('committed dist/', () => {
  test('GIVEN the committed dist/ WHEN a fresh synth runs THEN the output is byte-identical (run npm run synth and commit if not)', () => {
    const root = exampleRepo();
    synthCommand(fleet, root, []);
    expect(readTree(path.join(root, 'dist'))).toEqual(readTree(path.join(ROOT, 'dist')));
    expect(readTree(path.join(root, '.forgejo'))).toEqual(readTree(path.join(ROOT, '.forgejo')));
  });

  test('GIVEN two synths WHEN compared THEN the output is deterministic', () => {
    const first = exampleRepo();
    const second = exampleRepo();
    synthCommand(fleet, first, []);
    synthCommand(fleet, second, []);
    expect(readTree(path.join(first, 'dist'))).toEqual(readTree(path.join(second, 'dist')));
  });

  test('GIVEN every Kubernetes document in dist/ WHEN checked against the real schemas THEN all are valid', () => {
    const output = execFileSync('node', ['scripts/validate-manifests.mjs', 'dist'], { cwd: ROOT, encoding: 'utf-8' });
    expect(output).toMatch(/^valid: checked \d+ documents/);
  });

  test('GIVEN a document that breaks its schema WHEN checked THEN the validator fails naming the field', () => {
    // The fixture's output, whose staging api has a canary step of weight 10.
    const root = tempRepo();
    const file = path.join(root, 'dist/staging/api/rollout-api.yaml');
    require('fs').writeFileSync(file, require('fs').readFileSync(file, 'utf-8').replace('setWeight: 10', 'setWeight: ten'));
    let stderr = '';
    try {
      execFileSync('node', [path.join(ROOT, 'scripts/validate-manifests.mjs'), path.join(root, 'dist')], { cwd: ROOT, encoding: 'utf-8', stdio: 'pipe' });
    } catch (e) {
      stderr = (e as { stderr: string }).stderr;
    }
    expect(stderr).toContain("argoproj.io/v1alpha1/Rollout 'api' is invalid: /spec/strategy/canary/steps/0/setWeight must be integer");
  });

  test('GIVEN each Application WHEN its path is read THEN the folder exists and holds only Kubernetes YAML', () => {
    const tree = readTree(path.join(ROOT, 'dist'));
    const applications = [...tree.entries()].filter(([file]) => file.includes('/application-') || file.endsWith('root.yaml'));
    expect(applications.length).toBeGreaterThan(0);
    for (const [, content] of applications) {
      const appPath = /path: (\S+)/.exec(content)![1];
      const files = [...tree.keys()].filter(f => `dist/${f}`.startsWith(`${appPath}/`));
      expect(files.length).toBeGreaterThan(0);
      for (const file of files) {
        expect(file).toMatch(/\.yaml$/);
        expect(path.basename(file)).not.toMatch(/^(Chart|kustomization)\.ya?ml$/);
        expect(tree.get(file)).toMatch(/^apiVersion: /m);
      }
    }
  });

  test('GIVEN the pins of releases/ WHEN dist/ is read THEN every pinned service of the fleet has its folder, and no other service has one', () => {
    const pins = loadPins(fleet, ROOT);
    const expected = fleet.deployments(pins).map(d => Layout.service(d.environment.name, d.service.name)).sort();
    const folders = fleet.environments.flatMap(env => {
      const dir = path.join(ROOT, Layout.dist, env.name);
      return fs.existsSync(dir) ? fs.readdirSync(dir).map(service => Layout.service(env.name, service)) : [];
    }).sort();
    expect(folders).toEqual(expected);
  });
});
