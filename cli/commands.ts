import { ANALYSIS_CHECK_COMMAND } from './analysis-check';
import { BENCH_COMMAND } from './bench';
import { BENCH_RELEASE_COMMAND } from './bench-release';
import { DEMO_ANALYSIS_COMMAND } from './demo-analysis';
import { FLEET_COMMAND } from './fleet';
import { PLAN_COMMAND } from './plan';
import { PROMOTE_COMMAND } from './promote';
import { PUBLISH_REVIEW_COMMAND } from './publish-review';
import { RELEASE_COMMAND } from './release';
import { REQUEST_COMMAND } from './request';
import { RETIRE_COMMAND } from './retire';
import { REVIEW_COMMAND } from './review';
import { ROLLBACK_COMMAND } from './rollback';
import { SIMULATE_COMMAND } from './simulate';
import { Command } from './support/command';
import { SYNC_WORKFLOWS_COMMAND } from './sync-workflows';
import { SYNTH_COMMAND } from './synth';
import { VERDICT_COMMAND } from './verdict';

/**
 * Every command of the repository, by its npm script name: `bin/infra.ts NAME` runs one, and
 * package.json has one script per entry (a test keeps the two equal).
 */
export const COMMANDS: readonly Command[] = [
  SYNTH_COMMAND,
  RELEASE_COMMAND,
  REQUEST_COMMAND,
  PROMOTE_COMMAND,
  ROLLBACK_COMMAND,
  RETIRE_COMMAND,
  VERDICT_COMMAND,
  FLEET_COMMAND,
  PLAN_COMMAND,
  REVIEW_COMMAND,
  PUBLISH_REVIEW_COMMAND,
  SYNC_WORKFLOWS_COMMAND,
  SIMULATE_COMMAND,
  ANALYSIS_CHECK_COMMAND,
  DEMO_ANALYSIS_COMMAND,
  BENCH_COMMAND,
  BENCH_RELEASE_COMMAND,
];
