import { Actions } from './action';
import { Step } from './step';

/**
 * The Node.js major version every generated Node job runs: 24, the active LTS (Node 20 reached end of
 * life in April 2026). The infra repo's own commands still run on 20 and later (`engines` in package.json).
 */
const NODE_VERSION = '24';

/**
 * Sets up Node.js with the npm cache, keyed on the lock file at `cacheDependencyPath`.
 * One function for every pipeline, so the Node.js version changes in one place.
 */
export function setUpNode(cacheDependencyPath?: string): Step {
  const inputs: Record<string, string> = { 'node-version': NODE_VERSION, 'cache': 'npm' };
  if (cacheDependencyPath) inputs['cache-dependency-path'] = cacheDependencyPath;
  return Step.uses('Set up Node.js', Actions.SETUP_NODE, { with: inputs });
}
