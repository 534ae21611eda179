import * as path from 'path';
import { runCommand } from '../cli/command';
import { releaseCommand } from '../cli/release';
import { fleet } from '../fleet';

void runCommand(() => releaseCommand(fleet, path.resolve(__dirname, '..'), process.argv.slice(2)));
