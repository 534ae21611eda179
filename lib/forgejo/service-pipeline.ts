import { Construct } from 'constructs';
import { Actions } from './action';
import { Language } from './language';
import { setUpNode } from './set-up-node';
import { Step } from './step';
import { DEFAULT_RUNNER_LABEL, Workflow } from './workflow';

/** Properties of a {@link ServicePipeline}. */
export interface ServicePipelineProps {
  /** The service's name, as the fleet knows it. */
  readonly service: string;
  /** The language, which picks linter, test runner and cache. */
  readonly language: Language;
  /** The GHCR repository images are pushed to, e.g. `ghcr.io/acme/api`. */
  readonly imageRepository: string;
  /** The infra repo as `owner/name` on the same Forgejo instance. */
  readonly infraRepo: string;
  /** The environment each build on main is released to. */
  readonly releaseEnvironment: string;
  /** The environment promotions go to, from `releaseEnvironment`. */
  readonly promotionEnvironment?: string;
  /** The folder, relative to the repository root, the workflow files are written to. */
  readonly outputDir: string;
  /**
   * The runner label jobs run on; the Forgejo runner's admin sets the labels.
   * @default 'docker'
   */
  readonly runnerLabel?: string;
}

interface LanguagePreset {
  readonly setup: Step;
  readonly install: string;
  readonly lint: string;
  readonly test: string;
}

const PRESETS = new Map<Language, LanguagePreset>([
  [Language.PYTHON, {
    setup: Step.uses('Set up Python', Actions.SETUP_PYTHON, { with: { 'python-version': '3.12', 'cache': 'pip' } }),
    install: 'python -m pip install -r requirements.txt ruff pytest',
    lint: 'ruff check .\nruff format --check .',
    test: 'pytest',
  }],
  [Language.NODE, {
    setup: setUpNode(),
    install: 'npm ci',
    lint: 'npx eslint .',
    test: 'npx jest --ci',
  }],
]);

const ON_MAIN_PUSH = "github.event_name == 'push' && github.ref == 'refs/heads/main'";

/**
 * The CI of one service, written for its own repository: lint and test on every push and pull request;
 * on main, build and push the image to GHCR and release its digest to the first environment through
 * the infra repo. A second workflow, started by hand, promotes the pin to the next environment.
 */
export class ServicePipeline extends Construct {
  /** The lint → test → build → deploy workflow. */
  public readonly ci: Workflow;
  /** The manual promotion workflow, when there is a next environment. */
  public readonly promote?: Workflow;

  constructor(scope: Construct, id: string, props: ServicePipelineProps) {
    super(scope, id);
    const preset = PRESETS.get(props.language)!;
    const runsOn = props.runnerLabel ?? DEFAULT_RUNNER_LABEL;
    const checkout = Step.uses('Check out', Actions.CHECKOUT);

    this.ci = new Workflow(this, 'Ci', {
      name: `${props.service} ci`,
      outputPath: `${props.outputDir}/ci.yaml`,
      on: { push: { branches: ['main'] }, pullRequest: {} },
      concurrency: { group: '${{ github.workflow }}-${{ github.ref }}', cancelInProgress: false },
    });
    this.ci.addJob('lint', {
      name: 'Lint',
      runsOn,
      steps: [checkout, preset.setup, Step.run('Install', preset.install), Step.run('Lint', preset.lint)],
    });
    this.ci.addJob('test', {
      name: 'Unit tests',
      runsOn,
      needs: ['lint'],
      steps: [checkout, preset.setup, Step.run('Install', preset.install), Step.run('Test', preset.test)],
    });
    this.ci.addJob('build', {
      name: 'Build and push image',
      runsOn,
      needs: ['test'],
      if: ON_MAIN_PUSH,
      outputs: { digest: '${{ steps.image.outputs.digest }}' },
      steps: [
        checkout,
        Step.uses('Set up Buildx', Actions.SETUP_BUILDX),
        Step.uses('Log in to GHCR', Actions.DOCKER_LOGIN, {
          with: { registry: 'ghcr.io', username: '${{ vars.GHCR_USERNAME }}', password: '${{ secrets.GHCR_TOKEN }}' },
        }),
        Step.uses('Build and push', Actions.BUILD_PUSH, {
          id: 'image',
          with: { context: '.', push: true, provenance: 'mode=max', sbom: true, tags: `${props.imageRepository}:\${{ github.sha }}` },
        }),
      ],
    });
    this.ci.addJob('deploy', {
      name: `Release to ${props.releaseEnvironment}`,
      runsOn,
      needs: ['build'],
      if: ON_MAIN_PUSH,
      steps: [
        ...infraRepoSteps(props.infraRepo),
        Step.run(
          `Pin the image in ${props.releaseEnvironment}`,
          'bash scripts/commit-and-push.sh "release $SERVICE to $ENVIRONMENT: $IMAGE" npm run release -- --service "$SERVICE" --env "$ENVIRONMENT" --image "$IMAGE" '
            + '--source-commit "$SOURCE_COMMIT" --built-at "$BUILT_AT"',
          {
            workingDirectory: 'infra',
            env: {
              SERVICE: props.service,
              ENVIRONMENT: props.releaseEnvironment,
              IMAGE: `${props.imageRepository}@\${{ needs.build.outputs.digest }}`,
              // The build's source commit and its time: an older build never replaces a newer one.
              SOURCE_COMMIT: '${{ github.sha }}',
              BUILT_AT: '${{ github.event.head_commit.timestamp }}',
            },
          },
        ),
      ],
    });

    if (props.promotionEnvironment) {
      this.promote = new Workflow(this, 'Promote', {
        name: `${props.service} promote to ${props.promotionEnvironment}`,
        outputPath: `${props.outputDir}/promote.yaml`,
        on: { workflowDispatch: {} },
        concurrency: { group: '${{ github.workflow }}', cancelInProgress: false },
      });
      this.promote.addJob('promote', {
        name: `Promote ${props.releaseEnvironment} to ${props.promotionEnvironment}`,
        runsOn,
        steps: [
          ...infraRepoSteps(props.infraRepo),
          Step.run(
            `Copy the ${props.releaseEnvironment} pin to ${props.promotionEnvironment}`,
            'bash scripts/commit-and-push.sh "promote $SERVICE from $FROM to $TO" npm run promote -- --service "$SERVICE" --from "$FROM" --to "$TO"',
            { workingDirectory: 'infra', env: { SERVICE: props.service, FROM: props.releaseEnvironment, TO: props.promotionEnvironment } },
          ),
        ],
      });
    }
  }
}

/** Checks out the infra repo with a token scoped to it: FORGEJO_TOKEN can write only its own repository. */
function infraRepoSteps(infraRepo: string): Step[] {
  return [
    Step.uses('Check out the infra repo', Actions.CHECKOUT, {
      with: { 'repository': infraRepo, 'token': '${{ secrets.INFRA_REPO_TOKEN }}', 'path': 'infra', 'fetch-depth': 0 },
    }),
    setUpNode('infra/package-lock.json'),
    Step.run('Configure git', 'git config user.name "forgejo-actions"\ngit config user.email "forgejo-actions@noreply.invalid"', { workingDirectory: 'infra' }),
    Step.run('Install', 'npm ci', { workingDirectory: 'infra' }),
  ];
}
