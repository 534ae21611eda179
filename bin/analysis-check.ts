import * as path from 'path';
import { fleet } from '../fleet';
import { analysisCheckCommand, runCommand } from '../lib/cli';

void runCommand(() => analysisCheckCommand(fleet, path.resolve(__dirname, '..'), process.argv.slice(2)));
