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
 * on main, build and push the image to GHCR and request the release of its digest to the first
 * environment, as an issue of the infra repo. It holds no credential that can write to the infra repo:
 * the infra repo's own request workflow checks the request and lands it (docs/SECURITY.md).
 */
export class ServicePipeline extends Construct {
  /** The lint → test → build → request workflow. */
  public readonly ci: Workflow;

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
      name: `Request the release to ${props.releaseEnvironment}`,
      runsOn,
      needs: ['build'],
      if: ON_MAIN_PUSH,
      steps: [
        Step.run(`File the release request in ${props.infraRepo}`, REQUEST_SCRIPT, {
          env: {
            // A token of the service's bot user that may only open issues (scope write:issue): it cannot push anywhere.
            RELEASE_REQUEST_TOKEN: '${{ secrets.RELEASE_REQUEST_TOKEN }}',
            SERVER: '${{ github.server_url }}',
            INFRA_REPO: props.infraRepo,
            SERVICE: props.service,
            ENVIRONMENT: props.releaseEnvironment,
            IMAGE: `${props.imageRepository}@\${{ needs.build.outputs.digest }}`,
            // The build's source commit and its time: an older build never replaces a newer one.
            SOURCE_COMMIT: '${{ github.sha }}',
            BUILT_AT: '${{ github.event.head_commit.timestamp }}',
          },
        }),
      ],
    });
  }
}

/**
 * Opens the release request, an issue of the infra repo titled `release <service> <env>` whose body is
 * one JSON block of data, with one API call (`POST /repos/{owner}/{repo}/issues`, which needs only read
 * access to the repository and a `write:issue` token: routers/api/v1/api.go l.1430, v13.0.5). The infra
 * repo's request workflow lands it. Every value is checked to be plain first, so none needs quoting;
 * printf reads `\\` in its format as the one backslash that JSON's escapes need.
 */
const REQUEST_SCRIPT = [
  'for value in "$SERVICE" "$ENVIRONMENT" "$IMAGE" "$SOURCE_COMMIT" "$BUILT_AT"; do',
  '  case "$value" in',
  '    "" | *[!A-Za-z0-9@:._/+-]*) echo "error: release request: \'$value\' is not a plain value" >&2; exit 1 ;;',
  '  esac',
  'done',
  'request=$(printf \'{\\\\"service\\\\":\\\\"%s\\\\",\\\\"environment\\\\":\\\\"%s\\\\",\\\\"image\\\\":\\\\"%s\\\\",\\\\"sourceCommit\\\\":\\\\"%s\\\\",\\\\"builtAt\\\\":\\\\"%s\\\\"}\' \\',
  '  "$SERVICE" "$ENVIRONMENT" "$IMAGE" "$SOURCE_COMMIT" "$BUILT_AT")',
  'printf \'{"title":"release %s %s","body":"Release request of the %s pipeline.\\\\n\\\\n```json\\\\n%s\\\\n```\\\\n"}\' "$SERVICE" "$ENVIRONMENT" "$SERVICE" "$request" \\',
  '  | curl --fail-with-body --silent --show-error --request POST --header "Authorization: token $RELEASE_REQUEST_TOKEN" \\',
  '    --header "Content-Type: application/json" --data @- "$SERVER/api/v1/repos/$INFRA_REPO/issues" > /dev/null',
  'echo "requested the release of $IMAGE to $ENVIRONMENT in $INFRA_REPO"',
].join('\n');
