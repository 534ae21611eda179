import * as path from 'path';
import { runCommand } from '../cli/command';
import { releaseCommand } from '../cli/release';
import { loadFleet } from './load-fleet';

void runCommand(() => releaseCommand(loadFleet(), path.resolve(__dirname, '..'), process.argv.slice(2)));
