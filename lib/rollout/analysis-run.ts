import * as ro from '../../imports/rollout-argoproj.io';
import { IAnalysisTemplate } from '../analysis/analysis-template-base';
import { MetricMatch } from '../analysis/metric-match';
import { ArgValue } from './arg-value';

/** How many measurements of some metrics an AnalysisRun keeps in its status. */
export interface MeasurementRetention {
  /** The metrics it applies to. */
  readonly metrics: MetricMatch;
  /** Measurements kept; the controller's default is 10. */
  readonly limit: number;
}

/** Labels and annotations put on every AnalysisRun of an analysis, e.g. for a dashboard or cost tracking. */
export interface AnalysisRunMetadata {
  /**
   * Labels.
   * @default - none
   */
  readonly labels?: Record<string, string>;
  /**
   * Annotations.
   * @default - none
   */
  readonly annotations?: Record<string, string>;
}

/** Properties of an analysis the Rollout runs: a step, background analysis, or blue-green pre/post-promotion. */
export interface AnalysisRunProps {
  /** The templates to run, built here or referred to by name with `AnalysisTemplate.fromName`; their metrics run together. */
  readonly templates: IAnalysisTemplate[];
  /**
   * Values for the templates' args, by arg name.
   * @default - none
   */
  readonly args?: Record<string, ArgValue>;
  /**
   * Metrics whose failures are recorded but never abort the rollout, to try them safely.
   * @default - none
   */
  readonly dryRun?: MetricMatch[];
  /**
   * Measurements kept per metric, beyond the controller's default of 10.
   * @default - none
   */
  readonly measurementRetention?: MeasurementRetention[];
  /**
   * Labels and annotations of the AnalysisRuns.
   * @default - none
   */
  readonly analysisRunMetadata?: AnalysisRunMetadata;
}

/** The shape every analysis reference of a Rollout shares: steps, background, pre- and post-promotion. */
export type RolloutAnalysis = Pick<ro.RolloutSpecStrategyCanaryStepsAnalysis, 'templates' | 'args' | 'dryRun' | 'measurementRetention' | 'analysisRunMetadata'>;
