import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { IConstruct } from 'constructs';
import { synthFleet } from '../delivery/synth/synth-fleet';
import { validationProblems } from '../lib/errors';
import { Layout } from '../model/layout';
import { fleet as fixtureFleet } from './fixtures/fleet';

/** The repository root: for its scripts and configuration only, never its fleet, pins or output. */
export const ROOT = path.resolve(__dirname, '..');

/** A root whose releases/ holds the fixture's pins, which tests read instead of the repository's. */
export const FIXTURE_ROOT = path.join(__dirname, 'fixtures');
const FIXTURE_RELEASES = path.join(FIXTURE_ROOT, 'releases');

let synthesized: string | undefined;

/** The fixture synthesized once per test process by the real synth path, then copied for each test. */
function fixtureOutput(): string {
  if (!synthesized) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'infra-fixture-'));
    fs.cpSync(FIXTURE_RELEASES, path.join(dir, Layout.releases), { recursive: true });
    synthFleet(fixtureFleet, dir, { command: 'fixture' });
    synthesized = dir;
  }
  return synthesized;
}

/**
 * A temporary repository holding the fixture fleet's releases/ (test/fixtures/), and its synthesized
 * dist/ and .forgejo/ unless `withDist` is false.
 */
export function tempRepo(options: { withDist?: boolean } = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'infra-test-'));
  fs.cpSync(FIXTURE_RELEASES, path.join(dir, Layout.releases), { recursive: true });
  if (options.withDist ?? true) {
    const output = fixtureOutput();
    for (const folder of [Layout.dist, '.forgejo']) fs.cpSync(path.join(output, folder), path.join(dir, folder), { recursive: true });
  }
  return dir;
}

/**
 * A {@link tempRepo} in Git, its state committed as `main` and checked out on the branch `change`;
 * `fleet.ts` there stands for the fleet definition, and `editFleet` changes it.
 */
export function gitRepo() {
  const root = tempRepo();
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: root, stdio: 'pipe' }).toString();
  fs.writeFileSync(path.join(root, 'fleet.ts'), '// the fleet\n');
  git('init', '--quiet', '--initial-branch', 'main');
  git('add', '-A');
  git('commit', '--quiet', '-m', 'base');
  git('checkout', '--quiet', '-b', 'change');
  const editFleet = () => fs.appendFileSync(path.join(root, 'fleet.ts'), '// changed\n');
  return { root, git, editFleet };
}

/**
 * A bare infra remote whose `main` holds the fixture's releases/, dist/ and .forgejo/ and this
 * repository's scripts/, as a pipeline's checkout would find it; `clone` makes a checkout of it.
 */
export function seededRemote(prefix: string) {
  const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf-8', stdio: 'pipe' }).trim();
  const base = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const remote = path.join(base, 'infra.git');
  git(base, 'init', '--quiet', '--bare', '--initial-branch=main', remote);
  const seed = path.join(base, 'seed');
  git(base, 'clone', '--quiet', remote, seed);
  const fixture = tempRepo();
  for (const folder of ['releases', 'dist', '.forgejo']) fs.cpSync(path.join(fixture, folder), path.join(seed, folder), { recursive: true });
  fs.cpSync(path.join(ROOT, 'scripts'), path.join(seed, 'scripts'), { recursive: true });
  git(seed, '-c', 'user.name=t', '-c', 'user.email=t@t', 'add', '-A');
  git(seed, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '--quiet', '-m', 'seed');
  git(seed, 'push', '--quiet', 'origin', 'HEAD:main');
  /** A checkout of the remote, committing as `name`. */
  const clone = (name: string, email = `${name}@example.invalid`) => {
    const dir = path.join(base, name);
    git(base, 'clone', '--quiet', remote, dir);
    git(dir, 'config', 'user.name', name);
    git(dir, 'config', 'user.email', email);
    return dir;
  };
  return { base, remote, seed, clone };
}

/** Every file under `dir`, by relative path, with its content. */
export function readTree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (current: string) => {
    if (!fs.existsSync(current)) return;
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.set(path.relative(dir, full), fs.readFileSync(full, 'utf-8'));
    }
  };
  walk(dir);
  return files;
}

/** The paths whose content differs between two trees, or that only one holds. */
export function changedFiles(before: Map<string, string>, after: Map<string, string>): string[] {
  const paths = new Set([...before.keys(), ...after.keys()]);
  return [...paths].filter(p => before.get(p) !== after.get(p)).sort();
}

export const DIGEST = 'a'.repeat(64);
export const OTHER_DIGEST = 'b'.repeat(64);

/** Every problem the tree of `scope` reports once `build` has added to it, as a synth would list them. */
export function problemsAfter(scope: IConstruct, build: () => unknown): string[] {
  build();
  return validationProblems(scope.node.root as App);
}
