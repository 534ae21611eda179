import * as path from 'path';
import { runCommand } from '../cli/command';
import { demoAnalysisCommand } from '../cli/demo-analysis';
import { loadFleet } from './load-fleet';

void runCommand(() => demoAnalysisCommand(loadFleet(), path.resolve(__dirname, '..'), message => console.error(message)));
