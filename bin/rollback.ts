import * as path from 'path';
import { runCommand } from '../cli/command';
import { rollbackCommand } from '../cli/rollback';
import { fleet } from '../fleet';

void runCommand(() => rollbackCommand(fleet, path.resolve(__dirname, '..'), process.argv.slice(2)));
