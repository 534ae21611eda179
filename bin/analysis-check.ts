import * as path from 'path';
import { analysisCheckCommand } from '../cli/analysis-check';
import { runCommand } from '../cli/command';
import { fleet } from '../fleet';

void runCommand(() => analysisCheckCommand(fleet, path.resolve(__dirname, '..'), process.argv.slice(2)));
