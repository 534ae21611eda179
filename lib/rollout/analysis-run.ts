import * as ro from '../../imports/rollout-argoproj.io';
import { AnalysisTemplateBase } from '../analysis/analysis-template-base';
import { ArgValue } from './arg-value';

/** Properties of an analysis the Rollout runs: a step, background analysis, or blue-green pre/post-promotion. */
export interface AnalysisRunProps {
  /** The templates to run; their metrics run together. */
  readonly templates: AnalysisTemplateBase[];
  /**
   * Values for the templates' args, by arg name.
   * @default - none
   */
  readonly args?: Record<string, ArgValue>;
  /**
   * Metrics of the templates whose failures are recorded but never abort the rollout.
   * @default - none
   */
  readonly dryRunMetrics?: string[];
}

/** The shape every analysis reference of a Rollout shares: steps, background, pre- and post-promotion. */
export type RolloutAnalysis = Pick<ro.RolloutSpecStrategyCanaryStepsAnalysis, 'templates' | 'args' | 'dryRun'>;
