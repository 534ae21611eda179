import * as path from 'path';
import { runCommand } from '../cli/command';
import { publishReviewCommand } from '../cli/publish-review';
import { loadFleet } from './load-fleet';

void runCommand(() => publishReviewCommand(loadFleet(), path.resolve(__dirname, '..'), process.argv.slice(2)));
