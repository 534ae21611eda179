import * as path from 'path';
import { runCommand } from '../cli/command';
import { fleetCommand } from '../cli/fleet';
import { loadFleet } from './load-fleet';

void runCommand(() => fleetCommand(loadFleet(), path.resolve(__dirname, '..'), process.argv.slice(2)));
