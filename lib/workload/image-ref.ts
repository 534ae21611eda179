import { ConfigError } from '../errors/problem';

// The grammar of github.com/distribution/reference, restricted to refs pinned by a sha256 digest.
const DOMAIN = '(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\\.(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?))*(?::[0-9]+)?';
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const TAG = '[\\w][\\w.-]{0,127}';
const PINNED_REF = new RegExp(`^(?<repository>${DOMAIN}(?:/${PATH_COMPONENT})+)(?::(?<tag>${TAG}))?@sha256:(?<digest>[a-f0-9]{64})$`);
const UNPINNED_REF = new RegExp(`^(?<repository>${DOMAIN}(?:/${PATH_COMPONENT})+)(?::(?<tag>${TAG}))?$`);

const REPOSITORY = new RegExp(`^${DOMAIN}(?:/${PATH_COMPONENT})+$`);
/** distribution/reference's NameTotalLengthMax. */
const MAX_REPOSITORY_LENGTH = 255;

/**
 * Whether `repository` is an image repository by the grammar of github.com/distribution/reference
 * (`reference.go`: domain, then path components of lowercase letters, digits and separators), with a
 * registry host and no tag or digest.
 */
export function isImageRepository(repository: string): boolean {
  const host = repository.split('/')[0];
  return REPOSITORY.test(repository) && repository.length <= MAX_REPOSITORY_LENGTH && repository.includes('/') && (host.includes('.') || host.includes(':') || host === 'localhost');
}

/** The form every image pin must take, quoted by every error about one. */
export const PINNED_REF_FORM = 'registry/repo@sha256:<64 hex> or registry/repo:tag@sha256:<64 hex>';

/**
 * A container image reference pinned by digest: the only form this project deploys,
 * because a tag can move under a running Rollout while a digest cannot.
 */
export class ImageRef {
  /**
   * Parses `registry/repo[:tag]@sha256:<64 hex>`.
   *
   * @param ref the reference to parse
   * @param at the command, file or construct path the reference came from, named in errors
   * @param field the flag or key that holds it
   * @throws ConfigError naming where, the value, the rule and the fix
   */
  public static parse(ref: string, at: string, field = 'image'): ImageRef {
    const pinned = PINNED_REF.exec(ref);
    const problem = (rule: string, fix: string) => new ConfigError([{ at, field, value: ref, rule, fix }]);
    if (pinned?.groups) {
      const { repository, tag, digest } = pinned.groups;
      if (!repository.split('/')[0].includes('.') && !repository.split('/')[0].includes(':')) {
        throw problem('has no registry host', `name the registry explicitly, e.g. ghcr.io/${repository}@sha256:${digest}`);
      }
      if (tag === 'latest') {
        throw problem("carries the tag 'latest', which says nothing about what runs", `drop ':latest' and keep the digest: ${repository}@sha256:${digest}`);
      }
      return new ImageRef(repository, tag, digest);
    }
    const unpinned = UNPINNED_REF.exec(ref);
    if (unpinned?.groups) {
      const tag = unpinned.groups.tag;
      const rule = tag === 'latest' ? "uses the tag 'latest' and no digest" : tag ? 'has a tag but no digest' : 'has no digest';
      throw problem(rule, `pin it by digest as ${PINNED_REF_FORM} (the digest is printed by 'docker buildx build --push' or 'crane digest')`);
    }
    throw problem('is not a valid image reference', `write it as ${PINNED_REF_FORM}`);
  }

  private constructor(
    /** The registry host and path, e.g. `ghcr.io/acme/api`. */
    public readonly repository: string,
    /** The informational tag, if any; the digest decides what runs. */
    public readonly tag: string | undefined,
    /** The 64 hex characters of the sha256 digest. */
    public readonly digest: string,
  ) {}

  /** The full reference as written to manifests and pins. */
  public toString(): string {
    return `${this.repository}${this.tag ? `:${this.tag}` : ''}@sha256:${this.digest}`;
  }
}
