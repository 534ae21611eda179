import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ROOT } from './helpers';

/**
 * The layers, top to bottom, and what each may import of the project's own code: entry points →
 * commands → the delivery engine → charts → the fleet model → the construct library → generated
 * imports. docs/ARCHITECTURE.md explains why.
 */
const LAYERS: Record<string, readonly string[]> = {
  'main.ts': ['bin', 'cli'],
  'bin': ['bin', 'cli', 'model', 'lib', 'fleet.ts'],
  'cli': ['cli', 'delivery', 'charts', 'model', 'lib', 'imports'],
  'delivery': ['delivery', 'charts', 'model', 'lib', 'imports'],
  'charts': ['charts', 'model', 'lib', 'imports'],
  'fleet.ts': ['model', 'lib'],
  'model': ['model', 'lib'],
  'lib': ['lib', 'imports'],
  'imports': [],
};

/**
 * The folders inside each layer, top to bottom: a file imports its own folder or one further down.
 * `.` is the layer's own top level (the command modules, say), which may import any of its folders.
 */
const FOLDERS: Record<string, readonly string[]> = {
  cli: ['.', 'demo', 'simulation', 'benchmark', 'support'],
  delivery: ['verify', 'synth', 'requests', 'review', 'plan', 'forgejo', 'verdicts', 'commit', 'render', 'pins'],
  lib: ['patterns', 'workload', 'rollout', 'analysis', 'argocd', 'forgejo', 'output', 'private', 'errors'],
};

function sourceFiles(full: string): string[] {
  if (!fs.existsSync(full)) return [];
  if (fs.statSync(full).isFile()) return [full];
  return fs.readdirSync(full, { withFileTypes: true })
    .flatMap(e => (e.isDirectory() ? sourceFiles(path.join(full, e.name)) : e.name.endsWith('.ts') ? [path.join(full, e.name)] : []));
}

/** Every relative import of a file, resolved to the path it names (relative to `root`, without `.ts`). */
function importsOf(root: string, file: string): { specifier: string; target: string }[] {
  return [...fs.readFileSync(file, 'utf-8').matchAll(/^\s*(?:import|export)[^'"]*from '(\.[^']*)'/gm)].map(([, specifier]) => {
    const target = path.relative(root, path.resolve(path.dirname(file), specifier));
    // A folder's barrel is its index file, inside the folder.
    const isFolder = fs.existsSync(path.join(root, target)) && fs.statSync(path.join(root, target)).isDirectory();
    return { specifier, target: isFolder ? path.join(target, 'index') : target };
  });
}

/** The layer of a path relative to the root: its first segment; a root file (fleet.ts) is its own layer. */
function layerOf(relative: string): string {
  const first = relative.split(path.sep)[0];
  return first === 'fleet' || first === 'main' ? `${first}.ts` : first;
}

/** The folder of a path inside its layer (`.` for the layer's own top level). */
function folderOf(relative: string): string {
  const parts = relative.split(path.sep);
  return parts.length > 2 ? parts[1] : '.';
}

/** Every import of the project's own code under `root` against the layers or the folder order, as `<file> imports <specifier>`. */
function importsAgainstTheGrain(root: string): string[] {
  const problems: string[] = [];
  for (const [layer, allowed] of Object.entries(LAYERS)) {
    for (const file of sourceFiles(path.join(root, layer))) {
      const from = path.relative(root, file);
      for (const { specifier, target } of importsOf(root, file)) {
        const targetLayer = layerOf(target);
        if (!allowed.includes(targetLayer)) {
          problems.push(`${from} imports ${specifier}`);
        } else if (targetLayer === layer && FOLDERS[layer]) {
          const order = FOLDERS[layer];
          const [mine, theirs] = [order.indexOf(folderOf(from)), order.indexOf(folderOf(target))];
          if (mine < 0 || theirs < 0 || theirs < mine) problems.push(`${from} imports ${specifier}`);
        }
      }
    }
  }
  return problems;
}

/** Every import cycle among the project's own files, each as its files joined by ` → `, from its first file in sort order. */
function importCycles(root: string): string[] {
  const graph = new Map<string, string[]>();
  for (const layer of Object.keys(LAYERS)) {
    for (const file of sourceFiles(path.join(root, layer))) {
      const resolve = (target: string) => [`${target}.ts`, `${target}.json`].find(f => fs.existsSync(path.join(root, f)));
      graph.set(path.relative(root, file), importsOf(root, file).map(i => resolve(i.target)).filter((f): f is string => f !== undefined));
    }
  }
  const cycles = new Set<string>();
  const state = new Map<string, 'open' | 'done'>();
  const visit = (file: string, trail: string[]) => {
    if (state.get(file) === 'done') return;
    if (state.get(file) === 'open') {
      const cycle = trail.slice(trail.indexOf(file));
      const start = cycle.indexOf([...cycle].sort()[0]);
      cycles.add([...cycle.slice(start), ...cycle.slice(0, start), cycle[start]].join(' → '));
      return;
    }
    state.set(file, 'open');
    for (const next of graph.get(file) ?? []) visit(next, [...trail, file]);
    state.set(file, 'done');
  };
  for (const file of [...graph.keys()].sort()) visit(file, []);
  return [...cycles].sort();
}

/** The backticked repository paths a document names that do not exist. */
function missingPaths(doc: string): string[] {
  const named = [...doc.matchAll(/`((?:lib|charts|cli|test|bin|model|delivery|docs|scripts)\/[\w./-]*)`/g)].map(m => m[1]);
  return named.filter(p => !fs.existsSync(path.join(ROOT, p)));
}

describe('architecture', () => {
  test('GIVEN the source tree WHEN every relative import is read THEN none runs against the layers or the folder order', () => {
    expect(importsAgainstTheGrain(ROOT)).toEqual([]);
  });

  test('GIVEN the source tree WHEN its imports are followed THEN no file reaches itself', () => {
    expect(importCycles(ROOT)).toEqual([]);
  });

  test('GIVEN imports against the layers and the folder order WHEN read THEN each is reported', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'layers-'));
    for (const folder of ['lib/rollout', 'lib/analysis', 'charts', 'model']) fs.mkdirSync(path.join(root, folder), { recursive: true });
    fs.writeFileSync(path.join(root, 'lib/rollout/x.ts'), "import { y } from './y';\nimport { buildFleetApp } from '../../charts/fleet-app';\n");
    fs.writeFileSync(path.join(root, 'lib/analysis/m.ts'), "import { Rollout } from '../rollout/rollout';\n");
    fs.writeFileSync(path.join(root, 'charts/c.ts'), "export { synthCommand } from '../cli/synth';\nimport { fleet } from '../fleet';\n");
    fs.writeFileSync(path.join(root, 'model/f.ts'), "import { Layout } from '../charts/paths';\n");
    expect(importsAgainstTheGrain(root)).toEqual([
      'charts/c.ts imports ../cli/synth',
      'charts/c.ts imports ../fleet',
      'model/f.ts imports ../charts/paths',
      'lib/analysis/m.ts imports ../rollout/rollout',
      'lib/rollout/x.ts imports ../../charts/fleet-app',
    ]);
  });

  test('GIVEN three files importing each other in a ring WHEN followed THEN the ring is reported once', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cycles-'));
    fs.mkdirSync(path.join(root, 'lib/rollout'), { recursive: true });
    fs.writeFileSync(path.join(root, 'lib/rollout/b.ts'), "import { c } from './c';\n");
    fs.writeFileSync(path.join(root, 'lib/rollout/c.ts'), "import { a } from './a';\n");
    fs.writeFileSync(path.join(root, 'lib/rollout/a.ts'), "import { b } from './b';\nimport { d } from './d';\n");
    fs.writeFileSync(path.join(root, 'lib/rollout/d.ts'), 'export const d = 1;\n');
    expect(importCycles(root)).toEqual(['lib/rollout/a.ts → lib/rollout/b.ts → lib/rollout/c.ts → lib/rollout/a.ts']);
  });

  test('GIVEN docs/ARCHITECTURE.md WHEN read beside the tree THEN every layer folder is in it and every path it names exists', () => {
    const doc = fs.readFileSync(path.join(ROOT, 'docs/ARCHITECTURE.md'), 'utf-8');
    const folders = Object.entries(FOLDERS).flatMap(([layer, inner]) => inner.filter(f => f !== '.' && f !== 'private').map(f => `${layer}/${f}/`));
    expect(folders.filter(folder => !doc.includes(folder))).toEqual([]);
    expect(missingPaths(doc)).toEqual([]);
  });

  test('GIVEN the README WHEN its layout table is read THEN it names every top-level folder and entry point, and every path it names exists', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf-8');
    const layout = readme.slice(readme.indexOf('## Layout'), readme.indexOf('\n## ', readme.indexOf('## Layout') + 1));
    const expected = [...Object.keys(LAYERS).map(l => (l.endsWith('.ts') ? l : `${l}/`)), 'dist/', 'releases/', '__snapshots__/', 'test/', 'scripts/', 'docs/'];
    expect(expected.filter(name => !layout.includes(`\`${name}\``))).toEqual([]);
    expect(missingPaths(layout)).toEqual([]);
  });

  test('GIVEN the README, docs/ and BENCHMARKS.md WHEN read THEN every source or test path they name exists', () => {
    const documents = ['README.md', 'BENCHMARKS.md', ...fs.readdirSync(path.join(ROOT, 'docs')).map(f => `docs/${f}`)];
    const stale = documents.flatMap(doc => [...fs.readFileSync(path.join(ROOT, doc), 'utf-8').matchAll(/`((?:lib|charts|cli|test|bin|model|delivery|scripts)\/[\w./-]*)`/g)]
      .map(m => m[1]).filter(p => !fs.existsSync(path.join(ROOT, p))).map(p => `${doc}: ${p}`));
    expect(stale).toEqual([]);
  });

  test('GIVEN the tree WHEN its names are read THEN no file sits beside a folder of the same name', () => {
    const clashes: string[] = [];
    const walk = (dir: string) => {
      const entries = fs.readdirSync(dir, { withFileTypes: true }).filter(e => !['node_modules', '.git', 'dist', 'imports'].includes(e.name));
      const folders = new Set(entries.filter(e => e.isDirectory()).map(e => e.name));
      for (const e of entries) {
        if (e.isFile() && folders.has(e.name.replace(/\.ts$/, '')) && e.name.endsWith('.ts')) clashes.push(path.relative(ROOT, path.join(dir, e.name)));
        if (e.isDirectory()) walk(path.join(dir, e.name));
      }
    };
    walk(ROOT);
    expect(clashes).toEqual([]);
  });
});
