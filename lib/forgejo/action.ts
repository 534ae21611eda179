import { fail } from '../errors/problem';

const COMMIT_SHA = /^[0-9a-f]{40}$/;

/** Properties of an {@link Action}. */
export interface ActionProps {
  /** The action's full URL, as Forgejo recommends, e.g. `https://data.forgejo.org/actions/checkout`. */
  readonly url: string;
  /** The full 40-hex commit the version tag points at; a tag can move, a commit cannot. */
  readonly sha: string;
  /** The release the commit belongs to, written as a comment beside `uses:`. */
  readonly version: string;
}

/** A reusable action pinned to a commit. */
export class Action {
  public readonly url: string;
  public readonly sha: string;
  public readonly version: string;

  constructor(props: ActionProps) {
    if (!COMMIT_SHA.test(props.sha)) {
      fail({ at: `action ${props.url}`, field: 'sha', value: props.sha, rule: 'must be a full 40-hex commit sha, since tags can move', fix: `look up the commit of ${props.version} and pin it` });
    }
    if (!/^https:\/\/[^@\s]+$/.test(props.url)) {
      fail({ at: `action ${props.url}`, field: 'url', value: props.url, rule: "must be a full https url without '@'", fix: 'write e.g. https://data.forgejo.org/actions/checkout' });
    }
    this.url = props.url;
    this.sha = props.sha;
    this.version = props.version;
  }

  /** The `uses:` value. */
  public get uses(): string {
    return `${this.url}@${this.sha}`;
  }
}

/** The actions the pipelines use, each pinned to the commit of a release. */
export const Actions = {
  CHECKOUT: new Action({ url: 'https://data.forgejo.org/actions/checkout', sha: '11bd71901bbe5b1630ceea73d27597364c9af683', version: 'v4.2.2' }),
  SETUP_NODE: new Action({ url: 'https://data.forgejo.org/actions/setup-node', sha: '49933ea5288caeca8642d1e84afbd3f7d6820020', version: 'v4.4.0' }),
  SETUP_PYTHON: new Action({ url: 'https://data.forgejo.org/actions/setup-python', sha: 'a26af69be951a213d495a4c3e4e4022e16d87065', version: 'v5.6.0' }),
  SETUP_BUILDX: new Action({ url: 'https://github.com/docker/setup-buildx-action', sha: 'b5ca514318bd6ebac0fb2aedd5d36ec1b5c232a2', version: 'v3.10.0' }),
  DOCKER_LOGIN: new Action({ url: 'https://github.com/docker/login-action', sha: '74a5d142397b4f367a81961eba4e8cd7edddf772', version: 'v3.4.0' }),
  UPLOAD_ARTIFACT: new Action({ url: 'https://data.forgejo.org/actions/upload-artifact', sha: 'a8a3f3ad30e3422c9c7b888a15615d19a852ae32', version: 'v3.1.3' }),
  BUILD_PUSH: new Action({ url: 'https://github.com/docker/build-push-action', sha: '263435318d21b8e681c14492fe198d362a7d2c83', version: 'v6.18.0' }),
} as const;
