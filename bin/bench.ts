import * as path from 'path';
import { benchCommand } from '../cli/bench';
import { runCommand } from '../cli/command';

void runCommand(() => benchCommand(path.resolve(__dirname, '..'), process.argv.slice(2)));
