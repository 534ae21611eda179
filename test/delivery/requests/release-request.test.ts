import { judgeReleaseRequest, parseReleaseRequest } from '../../../delivery/requests';
import { Fleet, ReleasePins } from '../../../model';
import { fleet } from '../../fixtures/fleet';
import { DIGEST } from '../../helpers';

const DATA = { service: 'api', environment: 'staging', image: `ghcr.io/acme/api@sha256:${DIGEST}`, sourceCommit: 'c'.repeat(40), builtAt: '2026-11-27T10:00:00Z' };
const fenced = (json: string) => `Release request.\n\n\`\`\`json\n${json}\n\`\`\`\n`;
const payload = (issue: Record<string, unknown>, action = 'opened') => ({
  action, issue: { number: 7, title: 'release api staging', body: fenced(JSON.stringify(DATA)), user: { login: 'api-release-bot' }, ...issue },
});
const NOW = new Date('2026-12-01T00:00:00Z');

describe('parseReleaseRequest', () => {
  test('GIVEN the issue a service pipeline files WHEN parsed THEN the request is its data and its author', () => {
    expect(parseReleaseRequest(payload({}))).toEqual({ issue: 7, requester: 'api-release-bot', ...DATA });
  });

  test.each([
    ['no issue', { action: 'opened' }, "request: 'event' is 'object': is no issues event payload with issue.number, title, body and user.login"],
    ['an edit', payload({}, 'edited'), "request: 'event.action' is 'edited': must be opened: a request is read once, as filed"],
    ['another title', payload({ title: 'release api staging now' }), "request: 'title' is 'release api staging now': is not `release <service> <env>`"],
    ['two blocks', payload({ body: fenced('{}') + fenced('{}') }), "request: 'body' is '2 json blocks': must hold exactly one ```json block"],
    ['no json', payload({ body: fenced('{"service": ') }), "request: 'body' is 'Unexpected end of JSON input': holds a json block that does not parse"],
    ['an array', payload({ body: fenced('[]') }), "request: 'body' is '[]': must be a json object"],
    ['an extra key', payload({ body: fenced(JSON.stringify({ ...DATA, run: 'curl evil' })) }), "request: 'body' is 'builtAt, environment, image, run, service, sourceCommit': must have exactly the string keys"],
    ['a number for a string', payload({ body: fenced(JSON.stringify({ ...DATA, builtAt: 1 })) }), 'must have exactly the string keys service, environment, image, sourceCommit, builtAt'],
    ['a title naming another release', payload({ title: 'release web staging' }), "request: 'title' is 'release web staging': names another release than its body (api staging)"],
  ])('GIVEN %s WHEN parsed THEN it is refused as malformed', (_, event, message) => {
    expect(() => parseReleaseRequest(event)).toThrow(message);
  });
});

describe('judgeReleaseRequest', () => {
  const pins = ReleasePins.of({ staging: { api: `ghcr.io/acme/api@sha256:${'e'.repeat(64)}` } });
  const judge = (changes: Partial<typeof DATA & { requester: string }>) => judgeReleaseRequest(fleet, { issue: 7, requester: 'api-release-bot', ...DATA, ...changes }, pins, undefined, NOW);

  test('GIVEN a valid request WHEN judged THEN it lands, the requester matched regardless of case', () => {
    expect(judge({ requester: 'API-Release-Bot' })).toMatchObject({ kind: 'land' });
  });

  test.each([
    ['an unknown service', { service: 'db' }, "fleet: 'service' is 'db': is not a service of the fleet"],
    ['an unknown environment', { environment: 'qa' }, "fleet: 'environment' is 'qa': is not an environment of the fleet"],
    ['production, skipping staging', { environment: 'production' }, "request: 'environment' is 'production': is not 'staging', the first environment of service 'api', the only one a release request reaches; promote from there with the infra repo's promote workflow"],
    ['a tag without digest', { image: 'ghcr.io/acme/api:1.0' }, "request: 'image' is 'ghcr.io/acme/api:1.0': has a tag but no digest"],
    ['a short commit', { sourceCommit: 'abc1234' }, "request: 'sourceCommit' is 'abc1234': must be a full hex commit id"],
    ['a time without zone', { builtAt: '2026-11-27T10:00:00' }, "request: 'builtAt' is '2026-11-27T10:00:00': must be an ISO 8601 time with a zone"],
    ['a future time', { builtAt: '2026-12-01T00:00:01Z' }, "request: 'builtAt' is '2026-12-01T00:00:01Z': is in the future (now is 2026-12-01T00:00:00.000Z); pass the time the source commit was made"],
  ])('GIVEN %s WHEN judged THEN it is refused', (_, changes, message) => {
    expect(() => judge(changes)).toThrow(message);
  });

  test('GIVEN a service without releaseRequester WHEN judged THEN it accepts no request', () => {
    const service = fleet.services.find(s => s.name === 'api')!;
    const closed = new Fleet({
      name: fleet.name, repoUrl: fleet.repoUrl, environments: [...fleet.environments], services: [{ ...service, releaseRequester: undefined }],
    });
    expect(() => judgeReleaseRequest(closed, { issue: 7, requester: 'api-release-bot', ...DATA }, pins, undefined, NOW)).toThrow(
      "request: 'requester' is 'api-release-bot': service 'api' names no releaseRequester in fleet.ts, so it accepts no release requests; set releaseRequester to the login of the service pipeline's bot user",
    );
  });

  test('GIVEN the pinned digest WHEN judged THEN it is a duplicate; GIVEN a newer pinned build THEN stale', () => {
    expect(judge({ image: `ghcr.io/acme/api:1.2@sha256:${'e'.repeat(64)}` })).toEqual({
      kind: 'duplicate', message: `note: api in staging already runs ghcr.io/acme/api@sha256:${'e'.repeat(64)}: nothing to release`,
    });
    const newer = { image: 'x', commit: 'd'.repeat(40), builtAt: '2026-11-28T00:00:00Z' };
    expect(judgeReleaseRequest(fleet, { issue: 7, requester: 'api-release-bot', ...DATA }, pins, newer, NOW)).toEqual({
      kind: 'stale', message: `nothing to release: a newer build is pinned (api in staging: commit ${'d'.repeat(40)}, built at 2026-11-28T00:00:00Z)`,
    });
  });
});
