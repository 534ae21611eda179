// Runs `npm run request` of this checkout against another checkout (argv[2]): what the infra repo's
// request workflow runs inside scripts/commit-and-push.sh, without installing that checkout.
import { requestCommand } from '../../cli/request';
import { runCommand } from '../../cli/support/command';
import { fleet } from '../fixtures/fleet';

const [root, ...argv] = process.argv.slice(2);
void runCommand(() => requestCommand(fleet, root, argv));
