import * as path from 'path';
import { runCommand } from '../cli/command';
import { rollbackCommand } from '../cli/rollback';
import { loadFleet } from './load-fleet';

void runCommand(() => rollbackCommand(loadFleet(), path.resolve(__dirname, '..'), process.argv.slice(2)));
