import { fail } from '../../lib/errors/problem';
import { ImageRef } from '../../lib/workload/image-ref';
import { Fleet } from '../../model/fleet';
import { ReleasePins } from '../../model/release-pins';
import { BuildRecord } from '../pins/build-records';

/** A release request as filed by a service pipeline: an issue of the infra repo, read as data only. */
export interface ReleaseRequest {
  /** The issue's number, which the answer goes to. */
  readonly issue: number;
  /** The Forgejo login that opened the issue (`issue.user.login`). */
  readonly requester: string;
  readonly service: string;
  readonly environment: string;
  readonly image: string;
  readonly sourceCommit: string;
  readonly builtAt: string;
}

/** The title a release request carries: `release <service> <env>`. */
export const REQUEST_TITLE = /^release ([a-z0-9-]+) ([a-z0-9-]+)$/;
/** The only keys of the request's JSON block, all strings. */
const REQUEST_KEYS = ['service', 'environment', 'image', 'sourceCommit', 'builtAt'] as const;
const AT = 'request';
const FIX_FORM = 'file it as the service pipeline does: title `release <service> <env>`, body one ```json block with service, environment, image, sourceCommit, builtAt';

/**
 * Reads a release request from a Forgejo `issues` event payload (modules/structs/hook.go `IssuePayload`:
 * `action`, `issue` with `number`, `title`, `body` and `user.login`, the author). Nothing in it is
 * run or interpolated: the title must match {@link REQUEST_TITLE} and the body hold exactly one fenced
 * JSON block of exactly {@link REQUEST_KEYS}, all strings.
 */
export function parseReleaseRequest(payload: unknown): ReleaseRequest {
  const event = payload as { action?: unknown; issue?: { number?: unknown; title?: unknown; body?: unknown; user?: { login?: unknown } } } | null;
  const issue = event?.issue;
  if (typeof issue?.number !== 'number' || typeof issue.title !== 'string' || typeof issue.body !== 'string' || typeof issue.user?.login !== 'string') {
    fail({ at: AT, field: 'event', value: typeof payload, rule: 'is no issues event payload with issue.number, title, body and user.login', fix: 'pass $GITHUB_EVENT_PATH of an issues workflow with --event' });
  }
  if (event!.action !== 'opened') {
    fail({ at: AT, field: 'event.action', value: event!.action, rule: 'must be opened: a request is read once, as filed', fix: 'run the request workflow on issues: [opened] only' });
  }
  const title = REQUEST_TITLE.exec(issue.title);
  if (!title) fail({ at: AT, field: 'title', value: issue.title, rule: 'is not `release <service> <env>`', fix: FIX_FORM });
  const blocks = [...issue.body.matchAll(/^```json[ \t]*\r?\n([\s\S]*?)\r?\n```[ \t]*$/gm)];
  if (blocks.length !== 1) fail({ at: AT, field: 'body', value: `${blocks.length} json blocks`, rule: 'must hold exactly one ```json block', fix: FIX_FORM });
  let data: unknown;
  try {
    data = JSON.parse(blocks[0][1]);
  } catch (e) {
    return fail({ at: AT, field: 'body', value: (e as Error).message, rule: 'holds a json block that does not parse', fix: FIX_FORM });
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) fail({ at: AT, field: 'body', value: JSON.stringify(data), rule: 'must be a json object', fix: FIX_FORM });
  const fields = data as Record<string, unknown>;
  const keys = Object.keys(fields).sort();
  if (keys.join() !== [...REQUEST_KEYS].sort().join() || REQUEST_KEYS.some(k => typeof fields[k] !== 'string')) {
    fail({ at: AT, field: 'body', value: keys.join(', '), rule: `must have exactly the string keys ${REQUEST_KEYS.join(', ')}`, fix: FIX_FORM });
  }
  const request = { issue: issue.number, requester: issue.user.login, ...fields } as ReleaseRequest;
  if (request.service !== title[1] || request.environment !== title[2]) {
    fail({ at: AT, field: 'title', value: issue.title, rule: `names another release than its body (${request.service} ${request.environment})`, fix: FIX_FORM });
  }
  return request;
}

/** What a valid request amounts to against the pins of now. */
export type RequestVerdict =
  | { readonly kind: 'land'; readonly image: ImageRef }
  | { readonly kind: 'duplicate' | 'stale'; readonly message: string };

/**
 * Checks a request against the fleet and the pins: the author is the service's `releaseRequester`,
 * the environment is the service's first, the image is from its `imageRepository` and pinned by digest, the service runs in the environment,
 * the source commit is a commit and the build time is real and not in the future. A forged or wrong
 * request fails; one already pinned is a duplicate, one older than the pinned build is stale.
 */
export function judgeReleaseRequest(
  fleet: Fleet, request: ReleaseRequest, pins: ReleasePins, pinnedBuild: BuildRecord | undefined, now: Date,
): RequestVerdict {
  const service = fleet.service(request.service, 'service');
  const environment = fleet.environment(request.environment, 'environment').name;
  if (!service.releaseRequester) {
    fail({ at: AT, field: 'requester', value: request.requester, rule: `service '${service.name}' names no releaseRequester in fleet.ts, so it accepts no release requests`, fix: "set releaseRequester to the login of the service pipeline's bot user" });
  }
  // Forgejo logins are unique regardless of case, so the case the payload spells them in does not matter.
  if (request.requester.toLowerCase() !== service.releaseRequester.toLowerCase()) {
    fail({ at: AT, field: 'requester', value: request.requester, rule: `is not '${service.releaseRequester}', the releaseRequester of service '${service.name}'`, fix: "only the service pipeline's bot user may request its releases; release by hand with npm run release" });
  }
  // A request reaches the first environment only: later ones are promotion's, which the infra repo starts.
  const first = fleet.environmentsOf(service)[0]?.name;
  if (environment !== first) {
    fail({ at: AT, field: 'environment', value: environment, rule: `is not '${first}', the first environment of service '${service.name}', the only one a release request reaches`, fix: 'promote from there with the infra repo\'s promote workflow' });
  }
  const image = ImageRef.parse(request.image, AT, 'image');
  fleet.checkPin(environment, service.name, image, AT, 'image');
  if (!/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/.test(request.sourceCommit)) {
    fail({ at: AT, field: 'sourceCommit', value: request.sourceCommit, rule: 'must be a full hex commit id', fix: 'pass ${{ github.sha }}' });
  }
  const builtAt = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/.test(request.builtAt) ? Date.parse(request.builtAt) : NaN;
  if (Number.isNaN(builtAt)) fail({ at: AT, field: 'builtAt', value: request.builtAt, rule: 'must be an ISO 8601 time with a zone', fix: 'pass ${{ github.event.head_commit.timestamp }}' });
  // A build from the future would outrank every real build after it (release refuses older builds).
  if (builtAt > now.getTime()) {
    fail({ at: AT, field: 'builtAt', value: request.builtAt, rule: `is in the future (now is ${now.toISOString()})`, fix: 'pass the time the source commit was made' });
  }
  const current = pins.get(environment, service.name);
  if (current?.digest === image.digest && current.repository === image.repository) {
    return { kind: 'duplicate', message: `note: ${service.name} in ${environment} already runs ${current}: nothing to release` };
  }
  if (pinnedBuild && Date.parse(pinnedBuild.builtAt) > builtAt) {
    return { kind: 'stale', message: `nothing to release: a newer build is pinned (${service.name} in ${environment}: commit ${pinnedBuild.commit}, built at ${pinnedBuild.builtAt})` };
  }
  return { kind: 'land', image };
}
