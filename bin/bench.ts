import { benchCommand, runCommand } from '../lib/cli';

void runCommand(() => benchCommand(process.argv.slice(2)));
