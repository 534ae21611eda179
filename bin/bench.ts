import { benchCommand } from '../cli/bench';
import { runCommand } from '../cli/command';

void runCommand(() => benchCommand(process.argv.slice(2)));
