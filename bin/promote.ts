import * as path from 'path';
import { runCommand } from '../cli/command';
import { promoteCommand } from '../cli/promote';
import { loadFleet } from './load-fleet';

void runCommand(() => promoteCommand(loadFleet(), path.resolve(__dirname, '..'), process.argv.slice(2)));
