// The cdk8s app: `npm run synth` and `npx cdk8s synth` both run this file.
import { loadFleet } from './bin/load-fleet';
import { runCommand } from './cli/command';
import { synthCommand } from './cli/synth';

void runCommand(() => synthCommand(loadFleet(), __dirname, process.argv.slice(2)));
