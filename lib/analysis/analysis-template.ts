import { Construct } from 'constructs';
import * as at from '../../imports/analysistemplate-argoproj.io';
import { AnalysisTemplateBase, AnalysisTemplateProps } from './analysis-template-base';

/**
 * An Argo Rollouts AnalysisTemplate measuring the canary with Prometheus, in the namespace of the
 * Rollouts that use it.
 */
export class AnalysisTemplate extends AnalysisTemplateBase {
  public readonly clusterScoped = false;

  constructor(scope: Construct, id: string, props: AnalysisTemplateProps) {
    super(scope, id, props, (self, spec) => new at.AnalysisTemplate(self, 'Resource', { metadata: props.metadata, spec }));
  }
}
