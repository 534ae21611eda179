import * as fs from 'fs';
import * as path from 'path';
import { buildFleetApp } from '../../charts/fleet-app';
import { Fleet } from '../../model';
import { Layout } from '../../model/layout';
import { loadPins } from '../pins';
import { fileContent, renderApp } from '../render';

/**
 * The synthesized files under `root` that are not what the fleet and the pins there synthesize: each
 * path (relative to the root) whose content differs, that is missing, or that no synth writes. Nothing
 * is written: a review uses it to tell a stale `dist/` from a change the sources explain.
 */
export function staleOutputs(fleet: Fleet, root: string): string[] {
  const expected = renderApp(buildFleetApp(fleet, loadPins(fleet, root)).app);
  const stale = new Set<string>();
  for (const [file, output] of expected) {
    const full = path.join(root, file);
    if (!fs.existsSync(full) || fs.readFileSync(full, 'utf-8') !== fileContent(output)) stale.add(file);
  }
  const dist = path.join(root, Layout.dist);
  for (const entry of fs.existsSync(dist) ? fs.readdirSync(dist, { recursive: true }) as string[] : []) {
    const file = path.posix.join(Layout.dist, entry.split(path.sep).join('/'));
    if (fs.statSync(path.join(root, file)).isFile() && !expected.has(file)) stale.add(file);
  }
  return [...stale].sort();
}
