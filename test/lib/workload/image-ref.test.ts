import { ImageRef, isImageRepository } from '../../../lib/workload';
import { DIGEST } from '../../helpers';

describe('ImageRef.parse', () => {
  test('GIVEN a digest-pinned ref WHEN parsed THEN repository, tag and digest are kept', () => {
    const ref = ImageRef.parse(`ghcr.io/acme/api:1.2.3@sha256:${DIGEST}`, '--image');
    expect(ref.repository).toBe('ghcr.io/acme/api');
    expect(ref.tag).toBe('1.2.3');
    expect(ref.digest).toBe(DIGEST);
    expect(ref.toString()).toBe(`ghcr.io/acme/api:1.2.3@sha256:${DIGEST}`);
  });

  test('GIVEN a ref without tag and a registry with a port WHEN parsed THEN it round-trips', () => {
    expect(ImageRef.parse(`registry.local:5000/team/app@sha256:${DIGEST}`, 'x').toString()).toBe(`registry.local:5000/team/app@sha256:${DIGEST}`);
  });

  test.each([
    ['a tag without a digest', 'ghcr.io/acme/api:1.2.3', "release: '--image' is 'ghcr.io/acme/api:1.2.3': has a tag but no digest; pin it by digest as registry/repo@sha256:<64 hex> or registry/repo:tag@sha256:<64 hex> (the digest is printed by 'docker buildx build --push' or 'crane digest')"],
    ['latest', 'ghcr.io/acme/api:latest', "release: '--image' is 'ghcr.io/acme/api:latest': uses the tag 'latest' and no digest; pin it by digest"],
    ['latest with a digest', `ghcr.io/acme/api:latest@sha256:${DIGEST}`, "release: '--image' is 'ghcr.io/acme/api:latest@sha256:" + DIGEST + "': carries the tag 'latest', which says nothing about what runs; drop ':latest' and keep the digest: ghcr.io/acme/api@sha256:" + DIGEST],
    ['a bare repository', 'ghcr.io/acme/api', "release: '--image' is 'ghcr.io/acme/api': has no digest"],
    ['a short digest', 'ghcr.io/acme/api@sha256:abc', "release: '--image' is 'ghcr.io/acme/api@sha256:abc': is not a valid image reference; write it as registry/repo@sha256:<64 hex> or registry/repo:tag@sha256:<64 hex>"],
    ['no registry host', `acme/api@sha256:${DIGEST}`, "release: '--image' is 'acme/api@sha256:" + DIGEST + "': has no registry host; name the registry explicitly, e.g. ghcr.io/acme/api@sha256:" + DIGEST],
    ['uppercase path', `ghcr.io/Acme/api@sha256:${DIGEST}`, 'is not a valid image reference'],
  ])('GIVEN %s WHEN parsed THEN it fails with the rule and the fix', (_, ref, message) => {
    expect(() => ImageRef.parse(ref, 'release', '--image')).toThrow(message);
  });
});

describe('isImageRepository', () => {
  test.each([['ghcr.io/acme/api'], ['localhost:5000/a/b'], ['registry.example.com/team/api-v2'], ['ghcr.io/a__b/c.d']])('GIVEN %s WHEN checked THEN it is a repository', repository => {
    expect(isImageRepository(repository)).toBe(true);
  });

  test.each([['ghcr.io/acme/$(id)'], ['acme/api'], ['ghcr.io/acme/api/'], ['ghcr.io/acme/a b'], ['ghcr.io/acme/-api'], [`ghcr.io/${'a'.repeat(250)}`], ['ghcr.io']])('GIVEN %s WHEN checked THEN it is not', repository => {
    expect(isImageRepository(repository)).toBe(false);
  });
});
