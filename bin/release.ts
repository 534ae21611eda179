import * as path from 'path';
import { fleet } from '../fleet';
import { releaseCommand, runCommand } from '../lib/cli';

runCommand(() => releaseCommand(fleet, path.resolve(__dirname, '..'), process.argv.slice(2)));
