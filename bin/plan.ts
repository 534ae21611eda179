import * as path from 'path';
import { planCommand, runCommand } from '../lib/cli';

void runCommand(() => planCommand(path.resolve(__dirname, '..'), process.argv.slice(2)));
