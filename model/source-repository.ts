/** How `npm run sync-workflows` delivers a service's workflows to its repository. */
export class WorkflowDelivery {
  /** A commit on the branch `infra/workflows`, for the service's team to merge by pull request. */
  public static readonly PULL_REQUEST = new WorkflowDelivery('pull-request');
  /** A commit straight onto the service's branch. */
  public static readonly DIRECT = new WorkflowDelivery('direct');

  private constructor(
    /** The delivery's name in messages. */
    public readonly name: string,
  ) {}
}

/** The branch a pull-request delivery pushes. */
export const WORKFLOW_BRANCH = 'infra/workflows';

/** A service's own repository, which its CI workflows run in. */
export interface SourceRepository {
  /** The clone URL the infra pipeline can push to, e.g. `https://forgejo.example.com/shop/api.git`. */
  readonly url: string;
  /**
   * The branch the service builds from.
   * @default 'main'
   */
  readonly branch?: string;
  /**
   * How the workflows arrive there.
   * @default WorkflowDelivery.PULL_REQUEST
   */
  readonly delivery?: WorkflowDelivery;
}
