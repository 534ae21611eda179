// The cdk8s app: `npm run synth` and `npx cdk8s synth` both run this file.
import { loadFleet } from './bin/load-fleet';
import { COMMANDS } from './cli/commands';
import { runNamedCommand } from './cli/support/command';

void runNamedCommand(COMMANDS, 'synth', process.argv.slice(2), { root: __dirname, fleet: loadFleet, progress: message => console.error(message) });
