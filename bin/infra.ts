// Every command but synth: `node scripts/run-ts.cjs bin/infra.ts NAME [FLAGS...]`, as package.json's scripts call it.
import * as path from 'path';
import { COMMANDS } from '../cli/commands';
import { runNamedCommand } from '../cli/support/command';
import { loadFleet } from './load-fleet';

void runNamedCommand(COMMANDS, process.argv[2], process.argv.slice(3), {
  root: path.resolve(__dirname, '..'),
  fleet: loadFleet,
  progress: message => console.error(message),
});
