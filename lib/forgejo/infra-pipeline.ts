import { Construct } from 'constructs';
import { Actions } from './action';
import { setUpNode } from './set-up-node';
import { Step } from './step';
import { DEFAULT_RUNNER_LABEL, Workflow } from './workflow';

/** Properties of an {@link InfraPipeline}. */
export interface InfraPipelineProps {
  /**
   * The runner label jobs run on.
   * @default 'docker'
   */
  readonly runnerLabel?: string;
  /** The folder, relative to the repository root, the plan and the replay are written to on pull requests. */
  readonly planFolder: string;
  /**
   * A cron schedule on which a job runs `npm run promote -- --auto` and pushes what it promoted, with
   * the job's own token (a scheduled run has write access to its own repository; its push starts no
   * workflow, Forgejo services/actions/notifier_helper.go).
   * @default - no scheduled promotion
   */
  readonly autoPromoteCron?: string;
}

/** Where the infra repo's own workflow is written. */
export const INFRA_WORKFLOW_PATH = '.forgejo/workflows/infra.yaml';

/**
 * Posts the review, the plan and the replay as one pull-request comment, and sets the review's commit
 * status (`npm run review:publish`). A token that may not comment (pull requests from forks) records
 * `posted=false`, and the next step uploads the reports instead.
 */
const publishScript = (simulateFolder: string) => [
  'if npm run review:publish -- --base "origin/$BASE_REF" --api "$SERVER/api/v1" --repo "$REPOSITORY" --pr "$PR" --sha "$SHA" \\',
  `  --append ${simulateFolder}/simulate.md; then`,
  '  echo "posted=true" >> "$GITHUB_OUTPUT"',
  'else',
  '  echo "posted=false" >> "$GITHUB_OUTPUT"',
  'fi',
].join('\n');

/** Promotes what is verified and soaked, through the same push-with-retry as a release, trailers included. */
const AUTO_PROMOTE_SCRIPT = [
  'git config user.name "infra-delivery"',
  'git config user.email "infra-delivery@users.noreply.invalid"',
  'bash scripts/commit-and-push.sh "promote verified, soaked digests" npm run --silent promote -- --auto',
].join('\n');

/**
 * After a merge that changed `dist/ci/`, pushes each service's workflows to its repository and opens
 * the pull requests. Git asks the credential helper for the token, so it never appears on a command line.
 */
const SYNC_SCRIPT = [
  'git config --global credential.helper \'!f() { echo "username=infra-delivery"; echo "password=$FORGEJO_TOKEN"; }; f\'',
  'if git diff --quiet HEAD~1 HEAD -- dist/ci; then',
  '  echo "dist/ci/ is unchanged: nothing to sync"',
  'else',
  '  npm run sync-workflows -- --api "$SERVER/api/v1"',
  'fi',
].join('\n');

/**
 * The infra repo's own CI, the gate that keeps a bad bump out of `dist/`: synthesize, fail when the
 * committed output differs from a fresh synth, then run the tests. On pull requests it also posts
 * the review and the canary plan and sets the review's status; after a merge it brings the service
 * workflows to their repositories.
 */
export class InfraPipeline extends Construct {
  public readonly workflow: Workflow;

  constructor(scope: Construct, id: string, props: InfraPipelineProps) {
    super(scope, id);
    // The replay is written inside the plan's folder, so one artifact holds both.
    const simulateFolder = `${props.planFolder}/simulate`;
    this.workflow = new Workflow(this, 'Workflow', {
      name: 'infra',
      outputPath: INFRA_WORKFLOW_PATH,
      on: { push: { branches: ['main'] }, pullRequest: {}, ...(props.autoPromoteCron ? { schedule: [{ cron: props.autoPromoteCron }] } : {}) },
      concurrency: { group: '${{ github.workflow }}-${{ github.ref }}', cancelInProgress: true },
      // Read the repository, comment the review on pull requests and set its status; nothing else.
      permissions: { 'contents': 'read', 'pull-requests': 'write', 'statuses': 'write' },
    });
    this.workflow.addJob('verify', {
      name: 'Synth, drift check and tests',
      runsOn: props.runnerLabel ?? DEFAULT_RUNNER_LABEL,
      ...(props.autoPromoteCron ? { if: "github.event_name != 'schedule'" } : {}),
      steps: [
        // The whole history: the review reads the base branch's dist/ and the pull request's commit trailers.
        Step.uses('Check out', Actions.CHECKOUT, { with: { 'fetch-depth': 0 } }),
        setUpNode(),
        Step.run('Install', 'npm ci'),
        Step.run('Synthesize', 'npm run synth'),
        Step.run('Fail on drift between the committed dist/ and a fresh synth', 'git add --intent-to-add dist .forgejo\ngit diff --exit-code -- dist .forgejo'),
        Step.run('Test', 'npm test'),
        Step.run('Plan the canaries', `npm run plan -- --out ${props.planFolder}`, { if: "github.event_name == 'pull_request'" }),
        // The replay runs every Rollout against a real Prometheus, which Debian's package brings.
        Step.run('Install Prometheus for the replay', 'apt-get update -qq && apt-get install -y -qq prometheus', { if: "github.event_name == 'pull_request'" }),
        Step.run('Replay the canaries on the controller\'s schedule', `npm run simulate -- --out ${simulateFolder}`, { if: "github.event_name == 'pull_request'" }),
        Step.run('Review the change, and comment it with the plan on the pull request', publishScript(simulateFolder), {
          id: 'comment',
          if: "github.event_name == 'pull_request'",
          env: {
            FORGEJO_TOKEN: '${{ secrets.GITHUB_TOKEN }}',
            SERVER: '${{ github.server_url }}',
            REPOSITORY: '${{ github.repository }}',
            PR: '${{ github.event.pull_request.number }}',
            SHA: '${{ github.event.pull_request.head.sha }}',
            BASE_REF: '${{ github.base_ref }}',
          },
        }),
        Step.uses('Upload the reports where commenting is not allowed', Actions.UPLOAD_ARTIFACT, {
          if: "github.event_name == 'pull_request' && steps.comment.outputs.posted == 'false'",
          with: { name: 'review-and-plan', path: 'reports' },
        }),
      ],
    });
    this.workflow.addJob('sync-workflows', {
      name: 'Service workflows into their repositories',
      runsOn: props.runnerLabel ?? DEFAULT_RUNNER_LABEL,
      needs: ['verify'],
      if: "github.event_name == 'push'",
      steps: [
        Step.uses('Check out', Actions.CHECKOUT, { with: { 'fetch-depth': 2 } }),
        setUpNode(),
        Step.run('Install', 'npm ci'),
        // A token that may push to the service repositories and open pull requests there; the job's own may not.
        Step.run('Push the workflows that changed', SYNC_SCRIPT, { env: { FORGEJO_TOKEN: '${{ secrets.WORKFLOWS_PUSH_TOKEN }}', SERVER: '${{ github.server_url }}' } }),
      ],
    });
    if (props.autoPromoteCron) {
      this.workflow.addJob('auto-promote', {
        name: 'Promote verified, soaked digests',
        runsOn: props.runnerLabel ?? DEFAULT_RUNNER_LABEL,
        if: "github.event_name == 'schedule'",
        steps: [
          Step.uses('Check out', Actions.CHECKOUT, { with: { 'fetch-depth': 0 } }),
          setUpNode(),
          Step.run('Install', 'npm ci'),
          Step.run('Promote every verified digest whose soak has passed', AUTO_PROMOTE_SCRIPT),
        ],
      });
    }
  }
}
