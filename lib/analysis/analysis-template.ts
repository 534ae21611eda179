import { Construct } from 'constructs';
import * as at from '../../imports/analysistemplate-argoproj.io';
import { AnalysisTemplateBase, AnalysisTemplateProps, IAnalysisTemplate, TemplateReferenceOptions } from './analysis-template-base';
import { TemplateReference } from './private/template-reference';

/**
 * An Argo Rollouts AnalysisTemplate measuring the canary with Prometheus, in the namespace of the
 * Rollouts that use it.
 */
export class AnalysisTemplate extends AnalysisTemplateBase {
  /** An AnalysisTemplate that already exists in the Rollout's namespace, e.g. one a platform team applies; `args` lists what it declares. */
  public static fromName(name: string, options: TemplateReferenceOptions = {}): IAnalysisTemplate {
    return new TemplateReference(name, false, options.args ?? []);
  }

  public readonly clusterScoped = false;

  constructor(scope: Construct, id: string, props: AnalysisTemplateProps) {
    super(scope, id, props, (self, spec) => new at.AnalysisTemplate(self, 'Resource', { metadata: props.metadata, spec }));
  }
}
