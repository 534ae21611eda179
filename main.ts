// The cdk8s app: `npm run synth` and `npx cdk8s synth` both run this file.
import { runCommand } from './cli/command';
import { synthCommand } from './cli/synth';
import { fleet } from './fleet';

void runCommand(() => synthCommand(fleet, __dirname, process.argv.slice(2)));
