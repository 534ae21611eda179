import * as path from 'path';
import { runCommand } from '../cli/command';
import { syncWorkflowsCommand } from '../cli/sync-workflows';
import { loadFleet } from './load-fleet';

void runCommand(() => syncWorkflowsCommand(loadFleet(), path.resolve(__dirname, '..'), process.argv.slice(2)));
