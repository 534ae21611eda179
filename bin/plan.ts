import * as path from 'path';
import { runCommand } from '../cli/command';
import { planCommand } from '../cli/plan';

void runCommand(() => planCommand(path.resolve(__dirname, '..'), process.argv.slice(2)));
