import { fail } from '../../lib/errors';

/** How many redirects within the API's origin a call follows. */
const MAX_REDIRECTS = 5;

/** A pull request comment as the Forgejo API lists it. */
export interface IssueComment {
  readonly id: number;
  readonly body: string;
}

/** A file attached to an issue or pull request (modules/structs/attachment.go `Attachment`). */
export interface Attachment {
  readonly name: string;
  /** `<AppURL>attachments/<uuid>`, which Markdown in a comment can show as an image (models/repo/attachment.go `DownloadURL`). */
  readonly browser_download_url: string;
}

/** The states Forgejo accepts for a commit status (services/forgejo API, CreateStatusOption). */
export type CommitState = 'pending' | 'success' | 'error' | 'failure' | 'warning';

/**
 * The few calls of the Forgejo API the infra workflow makes, with the token it already has
 * (`Authorization: token …`). Routes as Forgejo's routers/api/v1/api.go declares them: comments of an
 * issue or pull request (`/repos/{owner}/{repo}/issues/{index}/comments`, edited at
 * `/repos/{owner}/{repo}/issues/comments/{id}`), commit statuses (`/repos/{owner}/{repo}/statuses/{sha}`)
 * pull requests (`/repos/{owner}/{repo}/pulls`) and issues (`PATCH /repos/{owner}/{repo}/issues/{index}`,
 * which the poster or an issue writer may call: v13.0.5 api.go l.1456), and an issue's attachments
 * (`/repos/{owner}/{repo}/issues/{index}/assets`, multipart field `attachment`, v13.0.5 api.go l.1495-1498,
 * which an issue writer may post to: `canUserWriteIssueAttachment`).
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

  /** Closes an issue, e.g. a release request once answered. */
  public async closeIssue(index: number): Promise<void> {
    await this.call('PATCH', `issues/${index}`, { state: 'closed' });
  }

  /** The open pull requests of the repository. */
  public listOpenPullRequests(): Promise<{ number: number; head: { ref: string } }[]> {
    return this.call('GET', 'pulls?state=open');
  }

  public async createPullRequest(pull: { head: string; base: string; title: string; body: string }): Promise<void> {
    await this.call('POST', 'pulls', pull);
  }

  /** The files attached to an issue or pull request. */
  public listAttachments(index: number): Promise<Attachment[]> {
    return this.call<Attachment[]>('GET', `issues/${index}/assets`);
  }

  /** Attaches a file to an issue or pull request; Forgejo allows .svg and .png by default (modules/setting/attachment.go). */
  public attach(index: number, name: string, content: string, type: string): Promise<Attachment> {
    const form = new FormData();
    form.append('attachment', new Blob([content], { type }), name);
    return this.call<Attachment>('POST', `issues/${index}/assets?name=${encodeURIComponent(name)}`, form);
  }

  public async setStatus(sha: string, status: { state: CommitState; context: string; description: string }): Promise<void> {
    await this.call('POST', `statuses/${sha}`, status);
  }

  private async call<T>(method: string, route: string, body?: object | FormData): Promise<T> {
    let url = `${this.apiUrl.replace(/\/+$/, '')}/repos/${this.repository}/${route}`;
    const origin = new URL(url).origin;
    let response: Response;
    // Redirects are followed by hand: the token must never travel to another origin.
    for (let hops = 0; ; hops++) {
      try {
        response = await fetch(url, {
          method,
          // fetch writes a form's multipart Content-Type, boundary included, itself.
          headers: { Authorization: `token ${this.token}`, Accept: 'application/json', ...body instanceof FormData ? {} : { 'Content-Type': 'application/json' } },
          body: body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body),
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
