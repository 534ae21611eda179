import { benchReleaseCommand } from '../cli/bench/bench-release';
import { runCommand } from '../cli/command';

void runCommand(() => benchReleaseCommand(process.argv.slice(2)));
