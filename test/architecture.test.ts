import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ROOT } from './helpers';

/**
 * The layers, top to bottom, and what each may import of the project's own code: entry points →
 * commands → charts (composition) → lib (the construct library) → generated imports. docs/ARCHITECTURE.md
 * explains why.
 */
const LAYERS: Record<string, readonly string[]> = {
  'bin': ['bin', 'cli', 'lib', 'fleet.ts'],
  'main.ts': ['bin', 'cli'],
  'cli': ['cli', 'charts', 'lib', 'imports'],
  'charts': ['charts', 'lib', 'imports'],
  'fleet.ts': ['lib'],
  'lib': ['lib', 'imports'],
  'imports': [],
};

function sourceFiles(full: string): string[] {
  if (!fs.existsSync(full)) return [];
  if (fs.statSync(full).isFile()) return [full];
  return fs.readdirSync(full, { withFileTypes: true })
    .flatMap(e => (e.isDirectory() ? sourceFiles(path.join(full, e.name)) : e.name.endsWith('.ts') ? [path.join(full, e.name)] : []));
}

/** Every import of the project's own code under `root` against the layers, as `<file> imports <specifier>`. */
function importsAgainstTheGrain(root: string): string[] {
  const problems: string[] = [];
  for (const [layer, allowed] of Object.entries(LAYERS)) {
    for (const file of sourceFiles(path.join(root, layer))) {
      for (const [, specifier] of fs.readFileSync(file, 'utf-8').matchAll(/^\s*(?:import|export)[^'"]*from '(\.[^']*)'/gm)) {
        // A target's layer is its first path segment; a root file (fleet.ts) is its own layer.
        const target = path.relative(root, path.resolve(path.dirname(file), specifier)).split(path.sep)[0];
        const targetLayer = target === 'fleet' || target === 'main' ? `${target}.ts` : target;
        if (!allowed.includes(targetLayer)) problems.push(`${path.relative(root, file)} imports ${specifier}`);
      }
    }
  }
  return problems;
}

describe('architecture', () => {
  test('GIVEN the source tree WHEN every relative import is read THEN none runs against the layers', () => {
    expect(importsAgainstTheGrain(ROOT)).toEqual([]);
  });

  test('GIVEN a library file importing a chart and a chart importing a command WHEN read THEN both are reported', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'layers-'));
    fs.mkdirSync(path.join(root, 'lib/rollout'), { recursive: true });
    fs.mkdirSync(path.join(root, 'charts'));
    fs.writeFileSync(path.join(root, 'lib/rollout/x.ts'), "import { y } from './y';\nimport { buildFleetApp } from '../../charts/fleet-app';\n");
    fs.writeFileSync(path.join(root, 'charts/c.ts'), "export { synthCommand } from '../cli/synth';\nimport { fleet } from '../fleet';\n");
    expect(importsAgainstTheGrain(root)).toEqual([
      'charts/c.ts imports ../cli/synth',
      'charts/c.ts imports ../fleet',
      'lib/rollout/x.ts imports ../../charts/fleet-app',
    ]);
  });

  test('GIVEN docs/ARCHITECTURE.md WHEN read beside the tree THEN every library folder is in it and every path it names exists', () => {
    const doc = fs.readFileSync(path.join(ROOT, 'docs/ARCHITECTURE.md'), 'utf-8');
    const folders = fs.readdirSync(path.join(ROOT, 'lib'), { withFileTypes: true }).filter(e => e.isDirectory() && e.name !== 'private').map(e => `lib/${e.name}/`);
    expect(folders.filter(folder => !doc.includes(folder))).toEqual([]);
    const named = [...doc.matchAll(/`((?:lib|charts|cli|test|bin)\/[\w./-]*)`/g)].map(m => m[1]);
    expect(named.length).toBeGreaterThan(10);
    expect(named.filter(p => !fs.existsSync(path.join(ROOT, p)))).toEqual([]);
  });
});
