import * as path from 'path';
import { runCommand } from '../cli/command';
import { reviewCommand } from '../cli/review';
import { loadFleet } from './load-fleet';

void runCommand(() => reviewCommand(loadFleet(), path.resolve(__dirname, '..'), process.argv.slice(2)));
