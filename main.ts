// The cdk8s app: `npm run synth` and `npx cdk8s synth` both run this file.
import { fleet } from './fleet';
import { runCommand, synthCommand } from './lib/cli';

runCommand(() => synthCommand(fleet, __dirname, process.argv.slice(2)));
