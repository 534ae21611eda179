import { fail } from '../../lib/errors';

/** How many redirects within the API's origin a call follows. */
const MAX_REDIRECTS = 5;

/** A pull request comment as the Forgejo API lists it. */
export interface IssueComment {
  readonly id: number;
  readonly body: string;
}

/** The states Forgejo accepts for a commit status (services/forgejo API, CreateStatusOption). */
export type CommitState = 'pending' | 'success' | 'error' | 'failure' | 'warning';

/**
 * The few calls of the Forgejo API the infra workflow makes, with the token it already has
 * (`Authorization: token …`). Routes as Forgejo's routers/api/v1/api.go declares them: comments of an
 * issue or pull request (`/repos/{owner}/{repo}/issues/{index}/comments`, edited at
 * `/repos/{owner}/{repo}/issues/comments/{id}`), commit statuses (`/repos/{owner}/{repo}/statuses/{sha}`)
 * and pull requests (`/repos/{owner}/{repo}/pulls`).
 */
export class ForgejoClient {
  constructor(
    /** The API's base URL, e.g. `https://forgejo.example.com/api/v1`. */
    private readonly apiUrl: string,
    /** `owner/repo`. */
    public readonly repository: string,
    private readonly token: string,
  ) {}

  public listComments(pullRequest: number): Promise<IssueComment[]> {
    return this.call<IssueComment[]>('GET', `issues/${pullRequest}/comments`);
  }

  public async createComment(pullRequest: number, body: string): Promise<void> {
    await this.call('POST', `issues/${pullRequest}/comments`, { body });
  }

  public async editComment(id: number, body: string): Promise<void> {
    await this.call('PATCH', `issues/comments/${id}`, { body });
  }

  /** The open pull requests of the repository. */
  public listOpenPullRequests(): Promise<{ number: number; head: { ref: string } }[]> {
    return this.call('GET', 'pulls?state=open');
  }

  public async createPullRequest(pull: { head: string; base: string; title: string; body: string }): Promise<void> {
    await this.call('POST', 'pulls', pull);
  }

  public async setStatus(sha: string, status: { state: CommitState; context: string; description: string }): Promise<void> {
    await this.call('POST', `statuses/${sha}`, status);
  }

  private async call<T>(method: string, route: string, body?: object): Promise<T> {
    let url = `${this.apiUrl.replace(/\/+$/, '')}/repos/${this.repository}/${route}`;
    const origin = new URL(url).origin;
    let response: Response;
    // Redirects are followed by hand: the token must never travel to another origin.
    for (let hops = 0; ; hops++) {
      try {
        response = await fetch(url, {
          method,
          headers: { 'Authorization': `token ${this.token}`, 'Content-Type': 'application/json', 'Accept': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
          redirect: 'manual',
          signal: AbortSignal.timeout(30_000),
        });
      } catch (e) {
        const error = e as Error & { cause?: Error };
        return fail({ at: 'forgejo', field: `${method} ${url}`, value: error.cause?.message ?? error.message, rule: 'could not reach the forgejo api', fix: 'check --api and the runner\'s network' });
      }
      const location = response.status >= 300 && response.status < 400 ? response.headers.get('location') : null;
      if (location === null) break;
      const next = new URL(location, url);
      if (next.origin !== origin || hops >= MAX_REDIRECTS) {
        return fail({
          at: 'forgejo', field: `${method} ${url}`, value: response.status,
          rule: next.origin !== origin ? `redirects to another origin (${next.origin}), where the token is not sent` : `redirects more than ${MAX_REDIRECTS} times`,
          fix: 'pass the forgejo api url itself as --api, e.g. https://forgejo.example.com/api/v1',
        });
      }
      url = next.toString();
    }
    if (!response.ok) {
      const text = (await response.text()).slice(0, 200).replace(/\s+/g, ' ');
      return fail({ at: 'forgejo', field: `${method} ${url}`, value: response.status, rule: `was refused: ${text}`, fix: 'check that the token may comment on pull requests and set commit statuses' });
    }
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    try {
      return (text === '' ? undefined : JSON.parse(text)) as T;
    } catch {
      return fail({ at: 'forgejo', field: `${method} ${url}`, value: text.slice(0, 80), rule: 'answered with no json', fix: 'pass the forgejo api url as --api, e.g. https://forgejo.example.com/api/v1' });
    }
  }
}
