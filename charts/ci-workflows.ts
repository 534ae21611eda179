import { Construct } from 'constructs';
import { InfraPipeline, ServicePipeline } from '../lib/forgejo';
import { Fleet } from '../model';
import { Layout } from '../model/layout';

/** How often the infra workflow promotes verified, soaked digests out of environments with `autoPromote`. */
export const AUTO_PROMOTE_CRON = '*/15 * * * *';

/** Properties of {@link CiWorkflows}. */
export interface CiWorkflowsProps {
  readonly fleet: Fleet;
  /**
   * The Forgejo runner label jobs run on.
   * @default 'docker'
   */
  readonly runnerLabel?: string;
}

/** The CI of every service (written under `dist/ci/<service>/`) and the infra repo's own CI. */
export class CiWorkflows extends Construct {
  constructor(scope: Construct, id: string, props: CiWorkflowsProps) {
    super(scope, id);
    const { fleet } = props;
    for (const service of fleet.services) {
      const [release] = fleet.environmentsOf(service).map(e => e.name);
      new ServicePipeline(this, service.name, {
        service: service.name,
        language: service.language,
        imageRepository: service.imageRepository,
        infraRepo: fleet.repoPath,
        releaseEnvironment: release,
        outputDir: Layout.serviceCi(service.name),
        runnerLabel: props.runnerLabel,
      });
    }
    new InfraPipeline(this, 'infra', {
      runnerLabel: props.runnerLabel,
      planFolder: Layout.planReports,
      forgejoUrl: new URL(fleet.repoUrl).origin,
      // Every 15 minutes, when an environment promotes by itself (autoPromote in fleet.ts).
      autoPromoteCron: fleet.environments.some(e => e.autoPromote) ? AUTO_PROMOTE_CRON : undefined,
    });
  }
}
