import * as path from 'path';
import { runCommand } from '../cli/command';
import { promoteCommand } from '../cli/promote';
import { fleet } from '../fleet';

void runCommand(() => promoteCommand(fleet, path.resolve(__dirname, '..'), process.argv.slice(2)));
