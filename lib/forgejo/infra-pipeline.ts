import { Construct } from 'constructs';
import { PLAN_FOLDER } from '../plan/plan-report';
import { Actions, setUpNode } from './action';
import { Step } from './step';
import { DEFAULT_RUNNER_LABEL, Workflow } from './workflow';

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

/** Where the replay of the canaries is written on pull requests: inside the plan's folder, so one artifact holds both. */
const SIMULATE_FOLDER = `${PLAN_FOLDER}/simulate`;

/**
 * Posts the plan and the replay as one pull-request comment through the Forgejo API. A token that may
 * not comment (pull requests from forks) records `posted=false`, and the next step uploads them instead.
 */
const COMMENT_SCRIPT = [
  'body=$(node -e \'process.stdout.write(JSON.stringify({ body: process.argv.slice(1).map(f => require("fs").readFileSync(f, "utf8")).join("\\n") }))\' '
    + `${PLAN_FOLDER}/plan.md ${SIMULATE_FOLDER}/simulate.md)`,
  'if curl -fsS -X POST -H "Authorization: token $TOKEN" -H "Content-Type: application/json" --data "$body" \\',
  '  "$SERVER/api/v1/repos/$REPOSITORY/issues/$PR/comments" > /dev/null; then',
  '  echo "posted=true" >> "$GITHUB_OUTPUT"',
  'else',
  '  echo "posted=false" >> "$GITHUB_OUTPUT"',
  'fi',
].join('\n');

/**
 * The infra repo's own CI, the gate that keeps a bad bump out of `dist/`: synthesize, fail when the
 * committed output differs from a fresh synth, then run the tests. On pull requests it also posts
 * the canary plan, so reviewers see how fast a bad release would be caught.
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
      // Read the repository, and comment the plan on pull requests; nothing else.
      permissions: { 'contents': 'read', 'pull-requests': 'write' },
    });
    this.workflow.addJob('verify', {
      name: 'Synth, drift check and tests',
      runsOn: props.runnerLabel ?? DEFAULT_RUNNER_LABEL,
      steps: [
        Step.uses('Check out', Actions.CHECKOUT),
        setUpNode(),
        Step.run('Install', 'npm ci'),
        Step.run('Synthesize', 'npm run synth'),
        Step.run('Fail on drift between the committed dist/ and a fresh synth', 'git add --intent-to-add dist .forgejo\ngit diff --exit-code -- dist .forgejo'),
        Step.run('Test', 'npm test'),
        Step.run('Plan the canaries', `npm run plan -- --out ${PLAN_FOLDER}`, { if: "github.event_name == 'pull_request'" }),
        // The replay runs every Rollout against a real Prometheus, which Debian's package brings.
        Step.run('Install Prometheus for the replay', 'apt-get update -qq && apt-get install -y -qq prometheus', { if: "github.event_name == 'pull_request'" }),
        Step.run('Replay the canaries on the controller\'s schedule', `npm run simulate -- --out ${SIMULATE_FOLDER}`, { if: "github.event_name == 'pull_request'" }),
        Step.run('Comment the plan on the pull request', COMMENT_SCRIPT, {
          id: 'comment',
          if: "github.event_name == 'pull_request'",
          env: {
            TOKEN: '${{ secrets.GITHUB_TOKEN }}',
            SERVER: '${{ github.server_url }}',
            REPOSITORY: '${{ github.repository }}',
            PR: '${{ github.event.pull_request.number }}',
          },
        }),
        Step.uses('Upload the plan where commenting is not allowed', Actions.UPLOAD_ARTIFACT, {
          if: "github.event_name == 'pull_request' && steps.comment.outputs.posted == 'false'",
          with: { name: 'canary-plan', path: PLAN_FOLDER },
        }),
      ],
    });
  }
}
