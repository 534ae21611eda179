import { Construct } from 'constructs';
import * as cat from '../../imports/clusteranalysistemplate-argoproj.io';
import { AnalysisTemplateBase, AnalysisTemplateProps, IAnalysisTemplate, TemplateReferenceOptions } from './analysis-template-base';
import { TemplateReference } from './private/template-reference';

/**
 * An Argo Rollouts ClusterAnalysisTemplate: one template that Rollouts of every namespace can use,
 * e.g. a platform-wide success-rate gate.
 */
export class ClusterAnalysisTemplate extends AnalysisTemplateBase {
  /** A ClusterAnalysisTemplate that already exists in the cluster, e.g. a platform-wide gate; `args` lists what it declares. */
  public static fromName(name: string, options: TemplateReferenceOptions = {}): IAnalysisTemplate {
    return new TemplateReference(name, true, options.args ?? []);
  }

  public readonly clusterScoped = true;

  constructor(scope: Construct, id: string, props: AnalysisTemplateProps) {
    // The cluster-scoped spec schema is the namespaced one; only the generated type names differ.
    super(scope, id, props, (self, spec) => new cat.ClusterAnalysisTemplate(self, 'Resource', {
      metadata: props.metadata,
      spec: spec as cat.ClusterAnalysisTemplateSpec,
    }));
  }
}
