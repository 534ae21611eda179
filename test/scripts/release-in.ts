// Runs `npm run release` of this checkout against another checkout (argv[2]): what the service
// workflow's `npm run release` does inside the infra repo, without installing it again.
import { fleet } from '../../fleet';
import { releaseCommand, runCommand } from '../../lib/cli';

const [root, ...argv] = process.argv.slice(2);
runCommand(() => releaseCommand(fleet, root, argv));
