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
   * The Forgejo server's URL, e.g. `https://forgejo.example.com`: git hands the push token to this URL
   * and no other.
   */
  readonly forgejoUrl: string;
  /**
   * A cron schedule on which a job runs `npm run promote -- --auto` and pushes what it promoted, with
   * the job's own token (a scheduled run has write access to its own repository; its push starts no
   * workflow, Forgejo services/actions/notifier_helper.go).
   * @default - no scheduled promotion
   */
  readonly autoPromoteCron?: string;
}

/** Where the infra repo's own workflows are written. */
export const INFRA_WORKFLOW_PATH = '.forgejo/workflows/infra.yaml';
export const REVIEW_WORKFLOW_PATH = '.forgejo/workflows/review.yaml';
export const REQUESTS_WORKFLOW_PATH = '.forgejo/workflows/requests.yaml';
export const PROMOTE_WORKFLOW_PATH = '.forgejo/workflows/promote.yaml';

/** Where the pull request's head is fetched to, as data: nothing of it is checked out or run. */
const PR_HEAD = 'refs/remotes/pull/head';

/** A git credential helper that hands `$FORGEJO_TOKEN` to `url` only, never to another host. */
const credentialHelper = (url: string) =>
  `git config --global credential.${url}.helper '!f() { echo "username=infra-delivery"; echo "password=$FORGEJO_TOKEN"; }; f'`;

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
const syncScript = (forgejoUrl: string) => [
  credentialHelper(forgejoUrl),
  'if git diff --quiet HEAD~1 HEAD -- dist/ci; then',
  '  echo "dist/ci/ is unchanged: nothing to sync"',
  'else',
  '  npm run sync-workflows -- --api "$SERVER/api/v1"',
  'fi',
].join('\n');

/**
 * The infra repo's own workflows:
 *
 * - `infra.yaml`, the gate: on every push and pull request an unprivileged `verify` job runs the
 *   change's own code (synth, drift check, tests, plan, replay, review) with no secret and no stored
 *   token, and uploads the reports; after a merge, `sync-workflows` brings the service workflows to
 *   their repositories.
 * - `review.yaml`, on `pull_request_target`: the base branch's code posts the review comment and sets
 *   the `infra/review` status, reading the pull request's committed files as data (git fetch, git
 *   restore of `dist/`, git log), never installing or running them. A stale `dist/` fails `verify`.
 * - `requests.yaml`, on opened issues: main's code lands a service's release request
 *   (`npm run request`) and answers it.
 * - `promote.yaml`, started by hand by someone who may write to the repository's Actions: promotes a pin.
 */
export class InfraPipeline extends Construct {
  public readonly workflow: Workflow;
  public readonly review: Workflow;
  public readonly requests: Workflow;
  public readonly promote: Workflow;

  constructor(scope: Construct, id: string, props: InfraPipelineProps) {
    super(scope, id);
    const runsOn = props.runnerLabel ?? DEFAULT_RUNNER_LABEL;
    // The replay is written inside the plan's folder, so one artifact holds both.
    const simulateFolder = `${props.planFolder}/simulate`;
    const onPullRequest = "github.event_name == 'pull_request'";
    this.workflow = new Workflow(this, 'Workflow', {
      name: 'infra',
      outputPath: INFRA_WORKFLOW_PATH,
      on: { push: { branches: ['main'] }, pullRequest: {}, ...(props.autoPromoteCron ? { schedule: [{ cron: props.autoPromoteCron }] } : {}) },
      concurrency: { group: '${{ github.workflow }}-${{ github.ref }}', cancelInProgress: true },
    });
    this.workflow.addJob('verify', {
      name: 'Synth, drift check and tests',
      runsOn,
      ...(props.autoPromoteCron ? { if: "github.event_name != 'schedule'" } : {}),
      steps: [
        // The whole history: the review reads the base branch's dist/. No token stays in .git/config for the change's code to read.
        Step.uses('Check out', Actions.CHECKOUT, { with: { 'fetch-depth': 0, 'persist-credentials': false } }),
        setUpNode(),
        Step.run('Install', 'npm ci'),
        Step.run('Synthesize', 'npm run synth'),
        Step.run('Fail on drift between the committed dist/ and a fresh synth', 'git add --intent-to-add dist .forgejo\ngit diff --exit-code -- dist .forgejo'),
        Step.run('Test', 'npm test'),
        Step.run('Plan the canaries', `npm run plan -- --out ${props.planFolder}`, { if: onPullRequest }),
        // The replay runs every Rollout against a real Prometheus, which Debian's package brings.
        Step.run('Install Prometheus for the replay', 'apt-get update -qq && apt-get install -y -qq prometheus', { if: onPullRequest }),
        Step.run('Replay the canaries on the controller\'s schedule', `npm run simulate -- --out ${simulateFolder}`, { if: onPullRequest }),
        Step.run('Review the change', 'npm run review -- --base "origin/$BASE_REF"', { if: onPullRequest, env: { BASE_REF: '${{ github.base_ref }}' } }),
        Step.uses('Upload the reports', Actions.UPLOAD_ARTIFACT, { if: `always() && ${onPullRequest}`, with: { name: 'review-and-plan', path: 'reports' } }),
      ],
    });
    this.workflow.addJob('sync-workflows', {
      name: 'Service workflows into their repositories',
      runsOn,
      needs: ['verify'],
      if: "github.event_name == 'push'",
      steps: [
        Step.uses('Check out', Actions.CHECKOUT, { with: { 'fetch-depth': 2, 'persist-credentials': false } }),
        setUpNode(),
        Step.run('Install', 'npm ci'),
        // A token that may push to the service repositories and open pull requests there; the job's own may not.
        Step.run('Push the workflows that changed', syncScript(props.forgejoUrl), { env: { FORGEJO_TOKEN: '${{ secrets.WORKFLOWS_PUSH_TOKEN }}', SERVER: '${{ github.server_url }}' } }),
      ],
    });

    this.review = new Workflow(this, 'Review', {
      name: 'infra review',
      outputPath: REVIEW_WORKFLOW_PATH,
      on: { pullRequestTarget: {} },
      concurrency: { group: '${{ github.workflow }}-${{ github.event.pull_request.number }}', cancelInProgress: true },
    });
    this.review.addJob('publish', {
      name: 'Post the review and set infra/review',
      runsOn,
      steps: [
        // The base branch's code, installed before anything of the pull request is on disk; the stored token fetches the head.
        Step.uses('Check out the base branch', Actions.CHECKOUT, { with: { 'ref': '${{ github.base_ref }}', 'fetch-depth': 0 } }),
        setUpNode(),
        Step.run('Install the base branch', 'npm ci'),
        // Only YAML under dist/ comes from the pull request: data the plan reads, never code that runs.
        Step.run('Read the pull request\'s dist/ as data', `git fetch --quiet --no-tags origin "+refs/pull/$PR/head:${PR_HEAD}"\ngit restore --source=${PR_HEAD} --worktree -- dist`, {
          env: { PR: '${{ github.event.pull_request.number }}' },
        }),
        Step.run('Review the change, comment it with the plan, and set its status',
          `npm run review:publish -- --base "origin/$BASE_REF" --head ${PR_HEAD} --api "$SERVER/api/v1" --repo "$REPOSITORY" --pr "$PR" --sha "$SHA"`, {
            env: {
              FORGEJO_TOKEN: '${{ secrets.GITHUB_TOKEN }}',
              SERVER: '${{ github.server_url }}',
              REPOSITORY: '${{ github.repository }}',
              PR: '${{ github.event.pull_request.number }}',
              SHA: '${{ github.event.pull_request.head.sha }}',
              BASE_REF: '${{ github.base_ref }}',
            },
          }),
      ],
    });

    this.requests = new Workflow(this, 'Requests', {
      name: 'release requests',
      outputPath: REQUESTS_WORKFLOW_PATH,
      on: { issues: { types: ['opened'] } },
      concurrency: { group: '${{ github.workflow }}', cancelInProgress: false },
    });
    const requestEnv = { EVENT: '${{ github.event_path }}', LOG: '${{ runner.temp }}/request.log' };
    this.requests.addJob('land', {
      name: 'Land the release request or record the verdict',
      runsOn,
      if: "startsWith(github.event.issue.title, 'release ') || startsWith(github.event.issue.title, 'verdict: ')",
      steps: [
        // Main's code (Forgejo runs issues workflows from the default branch); its own token pushes.
        Step.uses('Check out main', Actions.CHECKOUT, { with: { 'fetch-depth': 0 } }),
        setUpNode(),
        Step.run('Install', 'npm ci'),
        Step.run('Configure git', 'git config user.name "forgejo-actions"\ngit config user.email "forgejo-actions@noreply.invalid"'),
        Step.run('Check the request and land it',
          'set -o pipefail\nbash scripts/commit-and-push.sh "request #$ISSUE" npm run --silent request -- --event "$EVENT" 2>&1 | tee "$LOG"', {
            env: { ...requestEnv, ISSUE: '${{ github.event.issue.number }}' },
          }),
        Step.run('Answer the request and close it',
          'npm run --silent request -- --event "$EVENT" --answer "$LOG" --api "$SERVER/api/v1" --repo "$REPOSITORY"', {
            if: 'always()',
            env: { ...requestEnv, FORGEJO_TOKEN: '${{ secrets.GITHUB_TOKEN }}', SERVER: '${{ github.server_url }}', REPOSITORY: '${{ github.repository }}' },
          }),
      ],
    });

    this.promote = new Workflow(this, 'Promote', {
      name: 'promote',
      outputPath: PROMOTE_WORKFLOW_PATH,
      on: {
        workflowDispatch: {
          inputs: {
            service: { description: 'the service to promote', required: true },
            from: { description: 'the environment whose pin is copied', required: true },
            to: { description: 'the next environment', required: true },
          },
        },
      },
      concurrency: { group: '${{ github.workflow }}', cancelInProgress: false },
    });
    this.promote.addJob('promote', {
      name: 'Promote a pin to the next environment',
      runsOn,
      steps: [
        Step.uses('Check out main', Actions.CHECKOUT, { with: { 'fetch-depth': 0 } }),
        setUpNode(),
        Step.run('Install', 'npm ci'),
        Step.run('Configure git', 'git config user.name "forgejo-actions"\ngit config user.email "forgejo-actions@noreply.invalid"'),
        // The inputs reach the command as environment variables, never expanded inside the script.
        Step.run('Copy the pin', 'bash scripts/commit-and-push.sh "promote $SERVICE from $FROM to $TO" npm run promote -- --service "$SERVICE" --from "$FROM" --to "$TO"', {
          env: { SERVICE: '${{ inputs.service }}', FROM: '${{ inputs.from }}', TO: '${{ inputs.to }}' },
        }),
      ],
    });
    if (props.autoPromoteCron) {
      this.workflow.addJob('auto-promote', {
        name: 'Promote verified, soaked digests',
        runsOn,
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
