import { Construct } from 'constructs';
import * as YAML from 'yaml';
import { reportAt, problemAt } from '../errors/problem';
import { IRenderedFile, markRenderedFile } from '../output/rendered-file';
import { ExpressionSite, expressionProblems } from './expressions';
import { compact } from './private/compact';
import { Step } from './step';

/** How every synthesized workflow starts; `npm run sync-workflows` replaces only files that do. */
export const SYNTHESIZED_MARKER = '# Synthesized by cdk8s from ';
/** The events that start a workflow. */
export interface WorkflowTriggers {
  /**
   * Pushes to these branches (or tags) start the workflow.
   * @default - pushes do not start it
   */
  readonly push?: { readonly branches?: string[]; readonly tags?: string[]; readonly paths?: string[] };
  /**
   * Pull requests against these branches start the workflow.
   * @default - pull requests do not start it
   */
  readonly pullRequest?: { readonly branches?: string[]; readonly paths?: string[] };
  /**
   * Pull requests against these branches start the workflow file of the base branch, with its secrets:
   * Forgejo reads `pull_request_target` workflows from the base branch's commit (services/actions/notifier_helper.go
   * `notify`/`detectWorkflows`, v13.0.5 and v17-dev), so the pull request's own code never defines what runs.
   * @default - pull requests do not start it
   */
  readonly pullRequestTarget?: { readonly branches?: string[] };
  /**
   * Issue events of these types start the workflow file of the default branch (modules/actions/github.go
   * `IsDefaultBranchWorkflow` lists `issues`), whatever branch the issue mentions.
   * @default - issues do not start it
   */
  readonly issues?: { readonly types: ('opened' | 'edited' | 'closed' | 'reopened' | 'labeled')[] };
  /**
   * A manual start from the UI or API, with these string inputs.
   * @default - no manual start
   */
  readonly workflowDispatch?: {
    readonly inputs?: Record<string, { readonly description: string; readonly required: boolean; readonly default?: string }>;
  };
  /**
   * Cron schedules (POSIX syntax, UTC) that start the workflow; Forgejo runs scheduled workflows from
   * the default branch only (services/actions/notifier_helper.go, `handleSchedules`).
   * @default - no schedule
   */
  readonly schedule?: { readonly cron: string }[];
}

/** One job of a workflow. */
export interface JobProps {
  /** The job's display name. */
  readonly name: string;
  /** The runner label the job runs on; labels are set by the Forgejo runner's admin. */
  readonly runsOn: string;
  /**
   * Jobs that must succeed first, by id.
   * @default - none
   */
  readonly needs?: string[];
  /**
   * A condition; the job is skipped when false.
   * @default - run when every needed job succeeded
   */
  readonly if?: string;
  /**
   * The job's timeout in minutes.
   * @default 30
   */
  readonly timeoutMinutes?: number;
  /**
   * A container image the job's steps run in.
   * @default - the runner label's default image
   */
  readonly container?: string;
  /**
   * Service containers (e.g. a database), by name.
   * @default - none
   */
  readonly services?: Record<string, { readonly image: string; readonly env?: Record<string, string> }>;
  /**
   * A build matrix.
   * @default - no matrix
   */
  readonly matrix?: Record<string, (string | number)[]>;
  /**
   * Values the job exports to jobs that need it.
   * @default - none
   */
  readonly outputs?: Record<string, string>;
  /**
   * Environment variables for every step.
   * @default - none
   */
  readonly env?: Record<string, string>;
  /** The steps, in order. */
  readonly steps: Step[];
}

/** Properties of a {@link Workflow}. */
export interface WorkflowProps {
  /** The workflow's display name. */
  readonly name: string;
  /** The file's path relative to the repository root. */
  readonly outputPath: string;
  /** The events that start it. */
  readonly on: WorkflowTriggers;
  /**
   * Environment variables for every job.
   * @default - none
   */
  readonly env?: Record<string, string>;
  /**
   * Runs sharing this group queue behind each other. Forgejo honours it on a best-effort basis.
   * @default - runs are not serialized
   */
  readonly concurrency?: { readonly group: string; readonly cancelInProgress: boolean };
  // No `permissions:`: Forgejo ignores it (v13.0.5 reads it nowhere; v17-dev warns "not supported in Forgejo
  // and will be ignored", services/actions/notifier.go `calculateWarnings`). The automatic token writes every
  // unit of its own repository except in fork pull requests (routers/api/v1/api.go `repoAssignment`), so
  // what a job may do is decided by which jobs get which token, not by this key. See docs/SECURITY.md.
}

/** The runner label jobs run on when none is given: the Forgejo runner's stock label for its container jobs. */
export const DEFAULT_RUNNER_LABEL = 'docker';

const JOB_ID = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * A Forgejo Actions workflow. It is not a Kubernetes object: it renders to its own YAML file, and is
 * checked at synth time for job ids, `needs` references and cycles, and `${{ }}` expressions.
 */
export class Workflow extends Construct implements IRenderedFile {
  public readonly outputPath: string;
  private readonly props: WorkflowProps;
  private readonly jobs = new Map<string, JobProps>();

  constructor(scope: Construct, id: string, props: WorkflowProps) {
    super(scope, id);
    this.props = props;
    this.outputPath = props.outputPath;
    markRenderedFile(this);
    this.node.addValidation({ validate: () => this.problems() });
  }

  /** Adds a job under `id`. */
  public addJob(id: string, job: JobProps): void {
    if (!JOB_ID.test(id)) {
      reportAt(this, 'jobs', id, 'a job id must start with a letter or _ and contain only letters, digits, - and _', `rename it, e.g. '${id.replace(/[^A-Za-z0-9_-]/g, '-').replace(/^[^A-Za-z_]+/, '') || 'job'}'`);
    }
    if (this.jobs.has(id)) {
      reportAt(this, 'jobs', id, 'job ids must be unique', 'rename one of the jobs');
    }
    this.jobs.set(id, job);
  }

  /** The job ids, in insertion order. */
  public get jobIds(): string[] {
    return [...this.jobs.keys()];
  }

  /** The workflow as YAML, each `uses:` followed by its version as a comment. */
  public render(): string {
    const versions = new Map([...this.jobs.values()].flatMap(j => j.steps).flatMap(s => s.action ? [[s.action.uses, s.action.version]] : []));
    const document = new YAML.Document(this.toJson(), { aliasDuplicateObjects: false });
    YAML.visit(document, {
      Pair: (_, pair) => {
        if (YAML.isScalar(pair.key) && pair.key.value === 'uses' && YAML.isScalar(pair.value)) {
          const version = versions.get(String(pair.value.value));
          if (version) pair.value.comment = ` ${version}`;
        }
      },
    });
    return `${SYNTHESIZED_MARKER}${this.node.path}; edit the TypeScript, not this file.\n${document.toString({ lineWidth: 0 })}`;
  }

  /** The workflow as a plain object, keys in a stable order. */
  public toJson(): Record<string, unknown> {
    const on = this.props.on;
    return compact({
      name: this.props.name,
      on: compact({
        push: on.push ? compact({ ...on.push }) : undefined,
        pull_request: on.pullRequest ? compact({ ...on.pullRequest }) : undefined,
        pull_request_target: on.pullRequestTarget ? compact({ ...on.pullRequestTarget }) : undefined,
        issues: on.issues ? { types: on.issues.types } : undefined,
        workflow_dispatch: on.workflowDispatch ? compact({ inputs: on.workflowDispatch.inputs }) : undefined,
        schedule: on.schedule?.map(s => ({ cron: s.cron })),
      }),
      env: this.props.env,
      concurrency: this.props.concurrency
        ? { 'group': this.props.concurrency.group, 'cancel-in-progress': this.props.concurrency.cancelInProgress }
        : undefined,
      jobs: Object.fromEntries([...this.jobs].map(([id, job]) => [id, jobToJson(job)])),
    });
  }

  private problems(): string[] {
    const problems: string[] = [];
    if (this.jobs.size === 0) {
      problems.push(problemAt(this, 'jobs', [], 'a workflow needs at least one job', 'add a job with addJob()'));
    }
    for (const [id, job] of this.jobs) {
      for (const need of job.needs ?? []) {
        if (!this.jobs.has(need)) {
          problems.push(problemAt(this, `jobs.${id}.needs`, need, 'names no job of this workflow', `use one of: ${this.jobIds.join(', ')}`));
        }
      }
      if (job.steps.length === 0) {
        problems.push(problemAt(this, `jobs.${id}.steps`, [], 'a job needs at least one step', 'add a Step.run or Step.uses'));
      }
    }
    const cycle = this.findCycle();
    if (cycle) {
      problems.push(problemAt(this, 'jobs.*.needs', cycle.join(' -> '), 'the needs graph has a cycle, so none of these jobs can start', 'remove one of the needs'));
    }
    problems.push(...this.expressionProblems());
    return problems;
  }

  private findCycle(): string[] | undefined {
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (id: string, trail: string[]): string[] | undefined => {
      if (state.get(id) === 'visiting') return [...trail.slice(trail.indexOf(id)), id];
      if (state.get(id) === 'done' || !this.jobs.has(id)) return undefined;
      state.set(id, 'visiting');
      for (const need of this.jobs.get(id)!.needs ?? []) {
        const cycle = visit(need, [...trail, id]);
        if (cycle) return cycle;
      }
      state.set(id, 'done');
      return undefined;
    };
    for (const id of this.jobs.keys()) {
      const cycle = visit(id, []);
      if (cycle) return cycle;
    }
    return undefined;
  }

  private expressionProblems(): string[] {
    const checks: [string, unknown, ExpressionSite][] = [
      ['env', this.props.env, ExpressionSite.WORKFLOW_ENV],
      ['concurrency', this.props.concurrency, ExpressionSite.WORKFLOW_CONCURRENCY],
    ];
    for (const [id, job] of this.jobs) {
      checks.push(
        [`jobs.${id}.runs-on`, job.runsOn, ExpressionSite.JOB_RUNS_ON],
        [`jobs.${id}.if`, job.if, ExpressionSite.JOB_IF],
        [`jobs.${id}.env`, [job.env, job.container, job.services], ExpressionSite.JOB_ENV],
        [`jobs.${id}.outputs`, job.outputs, ExpressionSite.JOB_OUTPUTS],
      );
      job.steps.forEach((step, i) => {
        const { if: condition, ...rest } = step.toJson();
        checks.push([`jobs.${id}.steps[${i}].if`, condition, ExpressionSite.STEP_IF], [`jobs.${id}.steps[${i}]`, rest, ExpressionSite.STEP]);
      });
    }
    return checks.flatMap(([field, value, site]) => stringsIn(value).flatMap(text =>
      expressionProblems(text, site).map(rule => problemAt(this, field, text, `the value ${rule}`, 'fix the expression or move it to a key where that context exists'))));
  }
}

function jobToJson(job: JobProps): Record<string, unknown> {
  return compact({
    'name': job.name,
    'runs-on': job.runsOn,
    'needs': job.needs?.length ? job.needs : undefined,
    'if': job.if,
    'timeout-minutes': job.timeoutMinutes ?? 30,
    'container': job.container ? { image: job.container } : undefined,
    'services': job.services,
    'strategy': job.matrix ? { matrix: job.matrix } : undefined,
    'outputs': job.outputs,
    'env': job.env,
    'steps': job.steps.map(s => s.toJson()),
  });
}

/** Every string inside a value, depth first. */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}
