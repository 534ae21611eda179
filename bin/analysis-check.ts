import * as path from 'path';
import { analysisCheckCommand } from '../cli/analysis-check';
import { runCommand } from '../cli/command';
import { loadFleet } from './load-fleet';

void runCommand(() => analysisCheckCommand(loadFleet(), path.resolve(__dirname, '..'), process.argv.slice(2)));
