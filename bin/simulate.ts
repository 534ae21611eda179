import * as path from 'path';
import { runCommand } from '../cli/command';
import { simulateCommand } from '../cli/simulate';

void runCommand(() => simulateCommand(path.resolve(__dirname, '..'), process.argv.slice(2), message => console.error(message)));
