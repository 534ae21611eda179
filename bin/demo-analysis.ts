import * as path from 'path';
import { fleet } from '../fleet';
import { runCommand } from '../lib/cli';
import { describeDemo, runAnalysisDemo } from '../lib/demo/analysis-demo';

void runCommand(async () => {
  const results = await runAnalysisDemo({ fleet, root: path.resolve(__dirname, '..'), log: message => console.error(message) });
  return { output: describeDemo(results), failed: results.some(r => r.verdict !== r.expected) };
});
