import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ArgValue } from './arg-value';
import * as ro from '../../imports/rollout-argoproj.io';
import { AnalysisTemplate } from '../analysis/analysis-template';
import { problemAt } from '../util/errors';

/** The largest weight a canary step may set (Argo Rollouts' default `maxTrafficWeight`). */
export const MAX_TRAFFIC_WEIGHT = 100;

/** Properties of an analysis step or of background analysis. */
export interface AnalysisRunProps {
  /** The templates to run; their metrics run together. */
  readonly templates: AnalysisTemplate[];
  /**
   * Values for the templates' args, by arg name.
   * @default - none
   */
  readonly args?: Record<string, ArgValue>;
}

/** Checks that `run` fills every required arg of its templates and passes no unknown one. */
export function analysisRunProblems(scope: IConstruct, field: string, run: AnalysisRunProps): string[] {
  const problems: string[] = [];
  if (run.templates.length === 0) {
    problems.push(problemAt(scope, `${field}.templates`, [], 'an analysis needs at least one template', 'pass the AnalysisTemplate to run'));
  }
  const passed = Object.keys(run.args ?? {});
  const declared = run.templates.flatMap(t => t.args.map(a => a.name));
  for (const template of run.templates) {
    for (const arg of template.requiredArgs.filter(a => !passed.includes(a))) {
      problems.push(problemAt(scope, `${field}.args`, arg, `is required by analysis template '${template.name}' but gets no value`, `pass args: { '${arg}': ArgValue.of(...) }`));
    }
  }
  for (const arg of passed.filter(a => !declared.includes(a))) {
    problems.push(problemAt(scope, `${field}.args`, arg, 'is not declared by any of the templates', `pass only declared args: ${declared.join(', ') || '(none)'}`));
  }
  return problems;
}

/** Renders an analysis run as the Rollout's step or background analysis takes it. */
export function toAnalysis(run: AnalysisRunProps): ro.RolloutSpecStrategyCanaryStepsAnalysis {
  return {
    templates: run.templates.map(t => ({ templateName: t.name })),
    args: Object.entries(run.args ?? {}).map(([name, value]) => value.toArg(name)),
  };
}

/** One step of a canary rollout. */
export abstract class CanaryStep {
  /** Sends `percent` of traffic to the canary (or scales it to that share of replicas without a router). */
  public static setWeight(percent: number): CanaryStep {
    return new SetWeightStep(percent);
  }

  /** Waits for `duration`, or until a human promotes when no duration is given. */
  public static pause(duration?: Duration): CanaryStep {
    return new PauseStep(duration);
  }

  /** Runs analysis templates; the step ends when they complete, and a failure aborts the rollout. */
  public static analysis(props: AnalysisRunProps): CanaryStep {
    return new AnalysisStep(props);
  }

  /** The traffic weight this step sets, if it sets one. */
  public get weight(): number | undefined {
    return undefined;
  }

  /** Whether this step measures the canary. */
  public get measures(): boolean {
    return false;
  }

  /** Problems with this step, naming `scope` and `steps[index]`. */
  public abstract problems(scope: IConstruct, index: number): string[];

  /** The step as the Rollout L1 takes it. */
  public abstract toStep(): ro.RolloutSpecStrategyCanarySteps;
}

class SetWeightStep extends CanaryStep {
  constructor(private readonly percent: number) {
    super();
  }

  public override get weight(): number {
    return this.percent;
  }

  public problems(scope: IConstruct, index: number): string[] {
    if (Number.isInteger(this.percent) && this.percent >= 0 && this.percent <= MAX_TRAFFIC_WEIGHT) return [];
    return [problemAt(scope, `steps[${index}].setWeight`, this.percent, `must be an integer from 0 to ${MAX_TRAFFIC_WEIGHT}`, 'use a percentage such as 10')];
  }

  public toStep(): ro.RolloutSpecStrategyCanarySteps {
    return { setWeight: this.percent };
  }
}

class PauseStep extends CanaryStep {
  constructor(private readonly duration?: Duration) {
    super();
  }

  public problems(scope: IConstruct, index: number): string[] {
    const seconds = this.duration?.toSeconds();
    if (seconds === undefined || (Number.isInteger(seconds) && seconds >= 0)) return [];
    return [problemAt(scope, `steps[${index}].pause.duration`, seconds, 'must be a whole number of seconds of at least 0', 'use Duration.seconds(n), or no duration to wait for a human')];
  }

  public toStep(): ro.RolloutSpecStrategyCanarySteps {
    const duration = this.duration ? ro.RolloutSpecStrategyCanaryStepsPauseDuration.fromNumber(this.duration.toSeconds()) : undefined;
    return { pause: { duration } };
  }
}

class AnalysisStep extends CanaryStep {
  constructor(private readonly run: AnalysisRunProps) {
    super();
  }

  public override get measures(): boolean {
    return true;
  }

  public problems(scope: IConstruct, index: number): string[] {
    return analysisRunProblems(scope, `steps[${index}].analysis`, this.run);
  }

  public toStep(): ro.RolloutSpecStrategyCanarySteps {
    return { analysis: toAnalysis(this.run) };
  }
}
