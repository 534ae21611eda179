// `npm run --silent NAME -- ARGS…` as a synthesized workflow step calls it, for the tests that run those
// steps (test/verdict-loop.integration.test.ts puts an `npm` on PATH that runs this file): the command
// of this checkout, on the checkout in the working directory, with the fixture fleet that auto-promotes,
// at the time INFRA_TEST_NOW names (a workflow runs when it runs; a test says when that is).
import { promoteCommand } from '../cli/promote';
import { requestCommand } from '../cli/request';
import { runCommand } from '../cli/support/command';
import { fail } from '../lib/errors';
import { autoPromoteFleet } from './fixtures/fleet';

const [run, silent, name, separator, ...argv] = process.argv.slice(2);
const root = process.cwd();
const now = new Date(process.env.INFRA_TEST_NOW ?? 'unset');
const commands: Record<string, () => string | Promise<string>> = {
  promote: () => promoteCommand(autoPromoteFleet, root, argv, now),
  request: () => requestCommand(autoPromoteFleet, root, argv, now),
};
void runCommand(() => {
  if (run !== 'run' || silent !== '--silent' || separator !== '--' || !(name in commands) || Number.isNaN(now.getTime())) {
    fail({
      at: 'test npm', field: 'argv', value: process.argv.slice(2).join(' '), rule: `is not "run --silent ${Object.keys(commands).join('|')} -- ARGS" with INFRA_TEST_NOW set`,
      fix: 'call it as the synthesized workflow steps call npm',
    });
  }
  return commands[name]();
});
