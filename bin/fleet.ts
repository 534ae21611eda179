import * as path from 'path';
import { fleet } from '../fleet';
import { fleetCommand, runCommand } from '../lib/cli';

runCommand(() => fleetCommand(fleet, path.resolve(__dirname, '..'), process.argv.slice(2)));
