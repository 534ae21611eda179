import * as path from 'path';
import { fleet } from '../fleet';
import { promoteCommand, runCommand } from '../lib/cli';

runCommand(() => promoteCommand(fleet, path.resolve(__dirname, '..'), process.argv.slice(2)));
