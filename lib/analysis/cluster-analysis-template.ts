import { Construct } from 'constructs';
import * as cat from '../../imports/clusteranalysistemplate-argoproj.io';
import { AnalysisTemplateBase, AnalysisTemplateProps } from './analysis-template-base';

/**
 * An Argo Rollouts ClusterAnalysisTemplate: one template that Rollouts of every namespace can use,
 * e.g. a platform-wide success-rate gate.
 */
export class ClusterAnalysisTemplate extends AnalysisTemplateBase {
  public readonly clusterScoped = true;

  constructor(scope: Construct, id: string, props: AnalysisTemplateProps) {
    // The cluster-scoped spec schema is the namespaced one; only the generated type names differ.
    super(scope, id, props, (self, spec) => new cat.ClusterAnalysisTemplate(self, 'Resource', {
      metadata: props.metadata,
      spec: spec as cat.ClusterAnalysisTemplateSpec,
    }));
  }
}
