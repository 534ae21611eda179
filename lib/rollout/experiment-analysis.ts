import { IAnalysisTemplate } from '../analysis/analysis-template-base';
import { ArgValue } from './arg-value';

/** An analysis an experiment runs. */
export interface ExperimentAnalysis {
  /** The analysis's name within the experiment. */
  readonly name: string;
  /** The template to run. */
  readonly template: IAnalysisTemplate;
  /**
   * Values for the template's args; `ArgValue.of('{{templates.NAME.podTemplateHash}}')` refers to an experiment template's pods.
   * @default - none
   */
  readonly args?: Record<string, ArgValue>;
  /**
   * Whether the experiment waits for this analysis to finish, instead of ending after `duration`.
   * @default false
   */
  readonly requiredForCompletion?: boolean;
}

/** A Service the controller creates for an experiment's ReplicaSet, so other workloads can reach its pods. */
export interface ExperimentService {
  /**
   * The Service's name.
   * @default - one the controller derives from the experiment and template
   */
  readonly name?: string;
}
