import * as path from 'path';
import { runCommand } from '../cli/command';
import { demoAnalysisCommand } from '../cli/demo-analysis';
import { fleet } from '../fleet';

void runCommand(() => demoAnalysisCommand(fleet, path.resolve(__dirname, '..'), message => console.error(message)));
