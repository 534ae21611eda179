import { REVIEWED_CONDITIONS_ANNOTATION } from '../../lib/analysis/analysis-template-base';
import { Threshold } from '../../lib/analysis/threshold';
import { NOT_SECRET_ANNOTATION } from '../../lib/patterns/annotations';
import { ACCEPTED_RULES_ANNOTATION } from '../../lib/private/accepted-rules';
import { ACCEPT_UNMEASURED_ANNOTATION } from '../../lib/rollout/canary-strategy';
import { Layout } from '../../model/layout';
import { VerdictRecords, digestOf } from '../verdicts';

/** A YAML document as read from a file of `dist/`: a Kubernetes object or a workflow. */
export type Document = Record<string, unknown>;

/** The documents of a tree of YAML files, by path relative to the repository root. */
export type DocumentTree = ReadonlyMap<string, readonly Document[]>;

/** Pins by environment, then service: the image references of `releases/`. */
export type PinTree = Readonly<Record<string, Readonly<Record<string, string>>>>;

/** How much a change deserves a reviewer's attention. */
export class Severity {
  /** Needs a `review-approved: <rule>` trailer before the status turns green. */
  public static readonly HIGH = new Severity('high', 3);
  public static readonly MEDIUM = new Severity('medium', 2);
  public static readonly LOW = new Severity('low', 1);

  private constructor(public readonly name: string, public readonly rank: number) {}
}

/** A change a reviewer must see, with the rule that raised it. */
export interface RiskFlag {
  readonly severity: Severity;
  /** The rule's id, e.g. `threshold-loosened`; a `review-approved: <rule>` trailer approves it. */
  readonly rule: string;
  /** The environment and service, or the object, it is about. */
  readonly where: string;
  /** What changed, in a few words. */
  readonly detail: string;
}

/** One document added, removed or changed. */
export interface DocumentChange {
  readonly file: string;
  /** `Kind/name`, or the file's name for a document without a kind. */
  readonly id: string;
  readonly change: 'added' | 'removed' | 'changed';
  readonly before?: Document;
  readonly after?: Document;
}

/** A service that appears in or leaves an environment whole: one line of the review instead of one per object. */
export interface ServiceChange {
  readonly environment: string;
  readonly service: string;
  readonly change: 'added' | 'removed';
  /** `Kind/name` of each object. */
  readonly objects: readonly string[];
}

/** Everything a review says about the difference between two states of the repository. */
export interface Review {
  readonly changes: readonly DocumentChange[];
  /** The services that appear or leave whole; their objects are in `changes` too. */
  readonly services: readonly ServiceChange[];
  /** One plain line per meaningful change, e.g. `staging/web: success-rate threshold 0.99 → 0.95 (looser)`. */
  readonly summary: readonly string[];
  readonly flags: readonly RiskFlag[];
}

/** What a review compares. */
export interface ReviewInput {
  /** `dist/` and the other synthesized files (`.forgejo/`) at the base. */
  readonly before: DocumentTree;
  /** The same in the working tree. */
  readonly after: DocumentTree;
  readonly pinsBefore: PinTree;
  readonly pinsAfter: PinTree;
  /** The environments in promotion order; the last is production. */
  readonly environments: readonly string[];
  /** The paths that differ between the base and the working tree, outside `dist/` too. */
  readonly changedPaths: readonly string[];
  /**
   * Synthesized files of the working tree that are not what its fleet and pins synthesize.
   * @default - not checked (a job that reads committed files only relies on the drift check's status)
   */
  readonly staleFiles?: readonly string[];
  /**
   * The canaries' verdicts of the working tree, by environment: a promotion of a digest not verified
   * in the environment before, and any pin change (release, promotion, rollback) to a quarantined
   * digest, are high-severity flags.
   * @default - not checked
   */
  readonly verdictsAfter?: Readonly<Record<string, VerdictRecords>>;
}

/** Sources that explain a change of `dist/`: the fleet, its pins, and the code that renders them. */
const EXPLAINING = /^(fleet\.ts|main\.ts|releases\/|lib\/|charts\/|imports\/|package(-lock)?\.json$)/;

/** More services than this changing at once in one environment is a wide blast radius. */
const MANY_SERVICES = 3;

/**
 * Compares two states of the synthesized output and says, in plain words, what changes in each
 * cluster and how risky it is: safety weakened (a looser threshold, analysis or a metric removed, a
 * raised failure limit, a lower count, dry-run added, bigger weight jumps), blast radius (production,
 * many services, a pruned service), permissions widened (AppProject, workflow), a digest that skipped
 * the environment before, and changes of `dist/` nothing in the sources explains.
 */
export function reviewChanges(input: ReviewInput): Review {
  const changes = diffDocuments(input.before, input.after);
  const summary: string[] = [];
  const flags: RiskFlag[] = [];
  const flag = (severity: Severity, rule: string, where: string, detail: string) => flags.push({ severity, rule, where, detail });
  const production = input.environments[input.environments.length - 1];

  const [foldersBefore, foldersAfter] = [folders(input.before), folders(input.after)];
  const isNew = (env: string, service: string) => !foldersBefore.get(env)?.has(service) && foldersAfter.get(env)?.has(service);
  const isGone = (env: string, service: string) => foldersBefore.get(env)?.has(service) && !foldersAfter.get(env)?.has(service);
  const wholeServices = new Map<string, string[]>();
  for (const change of changes) {
    const place = Layout.place(change.file);
    const where = placeOf(change.file);
    const { before, after } = change;
    // A new service's opt-outs are new too.
    if (after) summary.push(...optOutChanges(before ?? renamedFrom(change, changes), after, `${where}: ${change.id}`, flag).map(line => `${where}: ${line}`));
    // A service that appears or goes whole is one line, not one per object.
    if (place?.kind === 'service' && (isNew(place.environment, place.service) || isGone(place.environment, place.service))) {
      const key = `${place.environment}/${place.service}`;
      wholeServices.set(key, [...wholeServices.get(key) ?? [], change.id]);
      continue;
    }
    if (change.change !== 'changed' || !before || !after) {
      summary.push(`${where}: ${change.id} ${change.change}`);
      continue;
    }
    const lines = describeChange(before, after, where, flag);
    // An opt-out annotation has its own line above.
    const fields = fieldChanges(withoutOptOuts(before), withoutOptOuts(after));
    summary.push(...lines.length ? lines.map(line => `${where}: ${line}`) : fields.map(line => `${where} ${change.id}: ${line}`));
  }
  const serviceChanges: ServiceChange[] = [...wholeServices].map(([key, objects]) => {
    const [environment, service] = key.split('/');
    return { environment, service, change: isNew(environment, service) ? 'added' : 'removed', objects };
  });
  for (const { environment, service, change, objects } of serviceChanges) {
    summary.push(change === 'added' ? `new service ${service} in ${environment}: ${objects.length} objects` : `service ${service} leaves ${environment}: argo cd prunes its ${objects.length} objects`);
  }

  for (const [folder, services] of foldersBefore) {
    for (const service of services) {
      if (!foldersAfter.get(folder)?.has(service)) flag(Severity.HIGH, 'prune', `${folder}/${service}`, 'argo cd prunes everything the service runs here');
    }
  }
  const touched = new Map<string, Set<string>>();
  for (const change of changes) {
    const place = Layout.place(change.file);
    if (place?.kind === 'service') touched.set(place.environment, (touched.get(place.environment) ?? new Set()).add(place.service));
  }
  for (const [env, services] of touched) {
    if (env === production) flag(Severity.MEDIUM, 'production', env, `changes ${[...services].sort().join(', ')} in production`);
    if (services.size > MANY_SERVICES) flag(Severity.MEDIUM, 'many-services', env, `changes ${services.size} services at once`);
  }

  input.environments.forEach((env, index) => {
    const previous = input.environments[index - 1];
    for (const [service, image] of Object.entries(input.pinsAfter[env] ?? {})) {
      if (input.pinsBefore[env]?.[service] === image) continue;
      summary.push(`${env}/${service}: image ${input.pinsBefore[env]?.[service] ?? '(none)'} → ${image}`);
      const digest = image.split('@')[1];
      const ranBefore = previous === undefined || [input.pinsBefore, input.pinsAfter].some(pins => pins[previous]?.[service]?.split('@')[1] === digest);
      if (!ranBefore) flag(Severity.HIGH, 'digest-not-in-previous-environment', `${env}/${service}`, `${digest} was never pinned in ${previous}`);
      verdictFlags(input, env, previous, service, digest, flag);
    }
  });

  const distChanged = changes.some(c => c.file.startsWith('dist/'));
  if (distChanged && !input.changedPaths.some(p => EXPLAINING.test(p))) {
    flag(Severity.HIGH, 'unexplained-dist-change', 'dist/', 'dist/ changes but fleet.ts, releases/, lib/ and charts/ do not: it was edited by hand or synthesized from other sources');
  }
  const stale = input.staleFiles ?? [];
  if (stale.length > 0) {
    const shown = stale.slice(0, 3).join(', ') + (stale.length > 3 ? ` and ${stale.length - 3} more` : '');
    flag(Severity.HIGH, 'stale-dist', 'dist/', `${shown} ${stale.length === 1 ? 'is' : 'are'} not what fleet.ts and releases/ synthesize: run npm run synth and commit the result`);
  }
  flags.sort((a, b) => b.severity.rank - a.severity.rank || a.where.localeCompare(b.where) || a.rule.localeCompare(b.rule));
  return { changes, services: serviceChanges, summary: [...new Set(summary)], flags };
}

/**
 * The annotations by which an object opts out of a rule of the construct library, each with the
 * reason: weights or a promotion without analysis, hand-written conditions, the rules listed in the
 * accepted-rules annotation, and config keys named like a secret that hold none (`notSecret`). Each
 * maps a key to its reason.
 */
const OPT_OUT_ANNOTATIONS: Readonly<Record<string, (value: string) => Record<string, string>>> = {
  [ACCEPT_UNMEASURED_ANNOTATION]: value => ({ 'accept-unmeasured': value }),
  [REVIEWED_CONDITIONS_ANNOTATION]: value => prefixed('reviewed-conditions', parseReasons(value)),
  [ACCEPTED_RULES_ANNOTATION]: value => prefixed('accepted-rules', parseReasons(value)),
  [NOT_SECRET_ANNOTATION]: value => prefixed('not-secret', parseReasons(value)),
};

/** The document without its opt-out annotations, and without annotations if it had only those. */
function withoutOptOuts(document: Document): Document {
  const metadata = { ...(document.metadata ?? {}) as { annotations?: Record<string, string> } };
  const annotations = Object.entries(metadata.annotations ?? {}).filter(([key]) => !Object.hasOwn(OPT_OUT_ANNOTATIONS, key));
  delete metadata.annotations;
  return { ...document, metadata: annotations.length ? { ...metadata, annotations: Object.fromEntries(annotations) } : metadata };
}

/**
 * The document an added one takes the place of under another name: the one document of its kind
 * removed from its folder, when it is the one added there. A ConfigMap's name carries a hash of its
 * data, so a changed value renames it; its opt-outs are compared with the old one's, not all new.
 */
function renamedFrom(added: DocumentChange, changes: readonly DocumentChange[]): Document | undefined {
  const folder = added.file.slice(0, added.file.lastIndexOf('/'));
  const sameKind = (change: DocumentChange, kind: 'added' | 'removed') => change.change === kind
    && change.file.slice(0, change.file.lastIndexOf('/')) === folder && (change.after ?? change.before)?.kind === added.after?.kind;
  const removed = changes.filter(change => sameKind(change, 'removed'));
  return removed.length === 1 && changes.filter(change => sameKind(change, 'added')).length === 1 ? removed[0].before : undefined;
}

/** A line and a flag for each opt-out an object gains or whose reason changes: a reviewer must accept the reason. */
function optOutChanges(before: Document | undefined, after: Document, where: string, flag: Flagger): string[] {
  const optOuts = (d: Document | undefined): Record<string, string> => {
    const annotations = (d?.metadata as { annotations?: Record<string, string> } | undefined)?.annotations ?? {};
    const read = Object.entries(OPT_OUT_ANNOTATIONS).map(([key, parse]) => (annotations[key] === undefined ? {} : parse(annotations[key])));
    return Object.assign({}, ...read) as Record<string, string>;
  };
  const [was, now] = [optOuts(before), optOuts(after)];
  const lines: string[] = [];
  for (const [key, reason] of Object.entries(now)) {
    if (was[key] === reason) continue;
    const line = `opts out of ${key}${was[key] === undefined ? '' : ' (reason changed)'}: ${reason}`;
    lines.push(line);
    flag(Severity.MEDIUM, 'opt-out-added', where, line);
  }
  return lines;
}

function parseReasons(value: string): Record<string, string> {
  try {
    const parsed: unknown = JSON.parse(value);
    return parsed && typeof parsed === 'object' ? Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)])) : { '': value };
  } catch {
    return { '': value };
  }
}

function prefixed(prefix: string, reasons: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(reasons).map(([key, reason]) => [key ? `${prefix} ${key}` : prefix, reason]));
}

/**
 * The flags of the canaries' verdicts on a changed pin: `digest-quarantined` when an analysis failed
 * the digest anywhere, whichever command pinned it (a release, a promotion, or a rollback past its
 * gate, which in the first environment has no environment before it to compare with), and
 * `promotion-unverified` when it comes to `env` without having been verified in the environment before
 * it (its latest verdict there is not `verified`).
 */
function verdictFlags(input: ReviewInput, env: string, previous: string | undefined, service: string, digest: string, flag: Flagger): void {
  const verdicts = input.verdictsAfter;
  if (!verdicts) return;
  const quarantine = Object.entries(verdicts).map(([where, records]) => ({ where, record: records.quarantine(digest) })).find(q => q.record);
  if (quarantine?.record) {
    const run = quarantine.record.analysisRuns.find(r => r.phase === 'Failed' || r.phase === 'Error')?.name ?? 'its analysis';
    flag(Severity.HIGH, 'digest-quarantined', `${env}/${service}`, `${digest} is quarantined: AnalysisRun ${run} failed it in ${quarantine.where}`);
  }
  if (previous === undefined || !verdicts[previous]) return;
  const latest = [...verdicts[previous].of(service)].reverse().find(r => digestOf(r.image) === digest && r.outcome !== 'stale');
  if (latest?.outcome !== 'verified') {
    flag(Severity.HIGH, 'promotion-unverified', `${env}/${service}`, `${digest} was not verified in ${previous} (${latest ? `its verdict there is ${latest.outcome}` : 'no verdict there'})`);
  }
}

/** The documents added, removed and changed, by file and `Kind/name`. */
export function diffDocuments(before: DocumentTree, after: DocumentTree): DocumentChange[] {
  const index = (tree: DocumentTree) => new Map([...tree].flatMap(([file, documents]) => documents.map(d => [`${file}#${idOf(d, file)}`, { file, document: d }] as const)));
  const [was, now] = [index(before), index(after)];
  const changes: DocumentChange[] = [];
  for (const key of [...new Set([...was.keys(), ...now.keys()])].sort()) {
    const [b, a] = [was.get(key), now.get(key)];
    const file = (a ?? b)!.file;
    const id = idOf((a ?? b)!.document, file);
    if (!b) changes.push({ file, id, change: 'added', after: a!.document });
    else if (!a) changes.push({ file, id, change: 'removed', before: b.document });
    else if (JSON.stringify(b.document) !== JSON.stringify(a.document)) changes.push({ file, id, change: 'changed', before: b.document, after: a.document });
  }
  return changes;
}

function idOf(document: Document, file: string): string {
  const metadata = document.metadata as { name?: string } | undefined;
  return typeof document.kind === 'string' ? `${document.kind}/${metadata?.name ?? ''}` : file.split('/').pop()!;
}

/** `staging/web` for a service's file, the file otherwise. */
function placeOf(file: string): string {
  const place = Layout.place(file);
  return place?.kind === 'service' ? `${place.environment}/${place.service}` : file;
}

/** The service folders of each environment in a tree. */
function folders(tree: DocumentTree): Map<string, Set<string>> {
  const result = new Map<string, Set<string>>();
  for (const file of tree.keys()) {
    const place = Layout.place(file);
    if (place?.kind === 'service' && file.split('/').length > 3) result.set(place.environment, (result.get(place.environment) ?? new Set()).add(place.service));
  }
  return result;
}

/** At most this many changed fields are named per document; the diff shows the rest. */
const MAX_FIELDS = 5;

/** The changed leaf fields of a document, as `path before → after`, the first few of them. */
export function fieldChanges(before: unknown, after: unknown): string[] {
  const changed: string[] = [];
  const show = (v: unknown) => (v === undefined ? '(none)' : typeof v === 'string' ? v : JSON.stringify(v));
  const walk = (a: unknown, b: unknown, at: string) => {
    if (JSON.stringify(a) === JSON.stringify(b)) return;
    const isObject = (v: unknown) => typeof v === 'object' && v !== null;
    if (isObject(a) && isObject(b) && Array.isArray(a) === Array.isArray(b)) {
      const [x, y] = [a as Record<string, unknown>, b as Record<string, unknown>];
      for (const key of [...new Set([...Object.keys(x), ...Object.keys(y)])]) {
        walk(x[key], y[key], Array.isArray(a) ? `${at}[${key}]` : at ? `${at}.${key}` : key);
      }
      return;
    }
    changed.push(`${at} ${show(a)} → ${show(b)}`);
  };
  walk(before, after, '');
  return changed.length > MAX_FIELDS ? [...changed.slice(0, MAX_FIELDS), `and ${changed.length - MAX_FIELDS} more fields`] : changed;
}

type Flagger = (severity: Severity, rule: string, where: string, detail: string) => void;

/** The plain lines for one changed document, flagging what weakens safety or widens permissions. */
function describeChange(before: Document, after: Document, where: string, flag: Flagger): string[] {
  switch (after.kind) {
    case 'Rollout': return rolloutChanges(before, after, where, flag);
    case 'AnalysisTemplate':
    case 'ClusterAnalysisTemplate': return templateChanges(before, after, where, flag);
    case 'AppProject': return projectChanges(before, after, where, flag);
    default: return after.jobs !== undefined ? workflowChanges(before, after, where, flag) : [];
  }
}

type Step = { setWeight?: number; analysis?: { dryRun?: unknown[] } };
type Canary = { steps?: Step[]; analysis?: { dryRun?: unknown[] } };

function rolloutChanges(before: Document, after: Document, where: string, flag: Flagger): string[] {
  const lines: string[] = [];
  // Written like the pin's line, which it then repeats: one line per new image.
  type PodTemplate = { template?: { spec?: { containers?: { image?: string }[] } } };
  const imagesOf = (d: Document) => ((d.spec as PodTemplate | undefined)?.template?.spec?.containers ?? []).map(c => c.image);
  const [oldImages, newImages] = [imagesOf(before), imagesOf(after)];
  newImages.forEach((image, i) => {
    if (image !== oldImages[i]) lines.push(`image ${oldImages[i] ?? '(none)'} → ${image}`);
  });
  const canaryOf = (d: Document) => ((d.spec as { strategy?: { canary?: Canary } } | undefined)?.strategy?.canary ?? {});
  const [was, now] = [canaryOf(before), canaryOf(after)];
  const analysed = (c: Canary) => (c.steps ?? []).map((s, i) => (s.analysis ? i : -1)).filter(i => i >= 0);
  if (analysed(now).length < analysed(was).length) {
    const removed = analysed(was).filter(i => !now.steps?.[i]?.analysis);
    lines.push(`analysis removed from ${removed.map(i => `steps[${i}]`).join(', ')}`);
    flag(Severity.HIGH, 'analysis-removed', where, `analysis removed from ${removed.map(i => `steps[${i}]`).join(', ')}`);
  }
  if (was.analysis && !now.analysis) {
    lines.push('background analysis removed');
    flag(Severity.HIGH, 'analysis-removed', where, 'background analysis removed');
  }
  const dryRuns = (c: Canary) => [...(c.steps ?? []).map(s => s.analysis), c.analysis].reduce((sum, a) => sum + (a?.dryRun?.length ?? 0), 0);
  if (dryRuns(now) > dryRuns(was)) {
    lines.push('dry-run added to analysis');
    flag(Severity.HIGH, 'dry-run-added', where, 'failures of some metrics no longer abort the rollout');
  }
  const weights = (c: Canary) => (c.steps ?? []).map(s => s.setWeight).filter((w): w is number => w !== undefined);
  const jump = (ws: number[]) => Math.max(0, ...ws.map((w, i) => w - (ws[i - 1] ?? 0)));
  if (JSON.stringify(weights(was)) !== JSON.stringify(weights(now))) {
    lines.push(`weights ${weights(was).join(', ')} → ${weights(now).join(', ')}`);
    if (jump(weights(now)) > jump(weights(was))) flag(Severity.MEDIUM, 'weights-jumped', where, `the largest step grows from ${jump(weights(was))}% to ${jump(weights(now))}%`);
  }
  const abortOf = (d: Document) => (d.spec as { progressDeadlineAbort?: boolean } | undefined)?.progressDeadlineAbort;
  if (abortOf(before) === true && abortOf(after) !== true) {
    lines.push('progressDeadlineAbort turned off');
    flag(Severity.HIGH, 'progress-deadline-abort-off', where, 'a canary that never becomes ready keeps its traffic');
  }
  return lines;
}

type Metric = { name: string; successCondition?: string; failureCondition?: string; failureLimit?: number; count?: number };

function templateChanges(before: Document, after: Document, where: string, flag: Flagger): string[] {
  const lines: string[] = [];
  const metricsOf = (d: Document) => new Map(((d.spec as { metrics?: Metric[] } | undefined)?.metrics ?? []).map(m => [m.name, m]));
  const [was, now] = [metricsOf(before), metricsOf(after)];
  for (const [name, old] of was) {
    const metric = now.get(name);
    if (!metric) {
      lines.push(`metric ${name} removed`);
      flag(Severity.HIGH, 'metric-removed', where, `metric ${name} no longer measures the canary`);
      continue;
    }
    const thresholdOf = (m: Metric) => Threshold.fromCondition(m.successCondition, m.failureCondition);
    const [a, b] = [thresholdOf(old), thresholdOf(metric)];
    if (a && b && a.bound !== b.bound && a.operator === b.operator) {
      const looser = a.operator.startsWith('>') ? b.bound < a.bound : b.bound > a.bound;
      lines.push(`${name} threshold ${a.bound} → ${b.bound} (${looser ? 'looser' : 'stricter'})`);
      if (looser) flag(Severity.HIGH, 'threshold-loosened', where, `${name}: ${a.operator} ${a.bound} → ${b.operator} ${b.bound}`);
    } else if (old.successCondition !== metric.successCondition || old.failureCondition !== metric.failureCondition) {
      lines.push(`${name} conditions changed`);
      flag(Severity.MEDIUM, 'conditions-changed', where, `${name}: conditions this review cannot compare`);
    }
    if ((metric.failureLimit ?? 0) > (old.failureLimit ?? 0)) {
      lines.push(`${name} failureLimit ${old.failureLimit ?? 0} → ${metric.failureLimit}`);
      flag(Severity.HIGH, 'failure-limit-raised', where, `${name} tolerates ${metric.failureLimit} failed measurements`);
    }
    if (metric.count !== undefined && old.count !== undefined && metric.count < old.count) {
      lines.push(`${name} count ${old.count} → ${metric.count}`);
      flag(Severity.MEDIUM, 'count-lowered', where, `${name} measures ${metric.count} times instead of ${old.count}`);
    }
  }
  const dryRunOf = (d: Document) => ((d.spec as { dryRun?: unknown[] } | undefined)?.dryRun ?? []).length;
  if (dryRunOf(after) > dryRunOf(before)) {
    lines.push('dry-run added');
    flag(Severity.HIGH, 'dry-run-added', where, 'failures of some metrics no longer abort the rollout');
  }
  return lines;
}

function projectChanges(before: Document, after: Document, where: string, flag: Flagger): string[] {
  const lines: string[] = [];
  const name = (after.metadata as { name?: string } | undefined)?.name ?? where;
  const lists = ['sourceRepos', 'destinations', 'namespaceResourceWhitelist', 'clusterResourceWhitelist'] as const;
  for (const list of lists) {
    const entries = (d: Document) => new Set(((d.spec as Record<string, unknown[]> | undefined)?.[list] ?? []).map(e => JSON.stringify(e)));
    const added = [...entries(after)].filter(e => !entries(before).has(e));
    if (added.length === 0) continue;
    const wildcard = added.some(e => e.includes('"*"'));
    lines.push(`AppProject ${name}: ${list} widened${wildcard ? ' to *' : ''}: ${added.join(', ')}`);
    flag(Severity.HIGH, 'permissions-widened', `AppProject ${name}`, `${list} gains ${added.join(', ')}`);
  }
  return lines;
}

/** Workflow permissions that grant more: a new scope, or `read` → `write`. */
function workflowChanges(before: Document, after: Document, where: string, flag: Flagger): string[] {
  const lines: string[] = [];
  const scopes = (d: Document): Map<string, string> => {
    const jobs = Object.entries((d.jobs ?? {}) as Record<string, { permissions?: unknown }>);
    const scoped: [string, unknown][] = [['', d.permissions], ...jobs.map(([job, j]): [string, unknown] => [`jobs.${job}.`, j.permissions])];
    const result = new Map<string, string>();
    for (const [prefix, permissions] of scoped) {
      if (typeof permissions === 'string') {result.set(`${prefix}permissions`, permissions);} else if (permissions && typeof permissions === 'object') {
        for (const [scope, level] of Object.entries(permissions as Record<string, string>)) result.set(`${prefix}permissions.${scope}`, level);
      }
    }
    return result;
  };
  const was = scopes(before);
  for (const [scope, level] of scopes(after)) {
    const old = was.get(scope);
    if (old === level || level === 'none' || (level === 'read' && old !== undefined)) continue;
    lines.push(`${scope} ${old ?? '(none)'} → ${level}`);
    flag(Severity.HIGH, 'permissions-widened', where, `${scope} ${old ?? '(none)'} → ${level}`);
  }
  return lines;
}
