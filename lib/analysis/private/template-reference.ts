import { AnalysisArg, requiredArgNames } from '../analysis-arg';
import { IAnalysisTemplate } from '../analysis-template-base';

/** A template that already exists in the cluster, referred to by name; its metrics are not known here. */
export class TemplateReference implements IAnalysisTemplate {
  public readonly metrics = undefined;
  public readonly namespace = undefined;

  constructor(
    public readonly name: string,
    public readonly clusterScoped: boolean,
    public readonly args: readonly AnalysisArg[],
  ) {}

  public get requiredArgs(): string[] {
    return requiredArgNames(this.args);
  }
}
