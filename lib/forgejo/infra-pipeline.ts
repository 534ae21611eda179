import { Construct } from 'constructs';
import { Actions, setUpNode } from './action';
import { Step } from './step';
import { Workflow } from './workflow';

/** Properties of an {@link InfraPipeline}. */
export interface InfraPipelineProps {
  /**
   * The runner label jobs run on.
   * @default 'docker'
   */
  readonly runnerLabel?: string;
}

/** Where the infra repo's own workflow is written. */
export const INFRA_WORKFLOW_PATH = '.forgejo/workflows/infra.yaml';

/**
 * The infra repo's own CI, the gate that keeps a bad bump out of `dist/`: synthesize, fail when the
 * committed output differs from a fresh synth, then run the tests.
 */
export class InfraPipeline extends Construct {
  public readonly workflow: Workflow;

  constructor(scope: Construct, id: string, props: InfraPipelineProps = {}) {
    super(scope, id);
    this.workflow = new Workflow(this, 'Workflow', {
      name: 'infra',
      outputPath: INFRA_WORKFLOW_PATH,
      on: { push: { branches: ['main'] }, pullRequest: {} },
      concurrency: { group: '${{ github.workflow }}-${{ github.ref }}', cancelInProgress: true },
    });
    this.workflow.addJob('verify', {
      name: 'Synth, drift check and tests',
      runsOn: props.runnerLabel ?? 'docker',
      steps: [
        Step.uses('Check out', Actions.CHECKOUT),
        setUpNode(),
        Step.run('Install', 'npm ci'),
        Step.run('Synthesize', 'npm run synth'),
        Step.run('Fail on drift between the committed dist/ and a fresh synth', 'git add --intent-to-add dist .forgejo\ngit diff --exit-code -- dist .forgejo'),
        Step.run('Test', 'npm test'),
      ],
    });
  }
}
