import * as path from 'path';
import { runCommand } from '../cli/command';
import { fleetCommand } from '../cli/fleet';
import { fleet } from '../fleet';

void runCommand(() => fleetCommand(fleet, path.resolve(__dirname, '..'), process.argv.slice(2)));
