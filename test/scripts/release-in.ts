// Runs `npm run release` of this checkout against another checkout (argv[2]): what the service
// workflow's `npm run release` does inside the infra repo, without installing it again.
import { releaseCommand } from '../../cli/release';
import { runCommand } from '../../cli/support/command';
import { fleet } from '../fixtures/fleet';

const [root, ...argv] = process.argv.slice(2);
void runCommand(() => releaseCommand(fleet, root, argv));
