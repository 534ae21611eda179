import * as fs from 'fs';
import * as path from 'path';
import { CommandResult, parseFlags, required } from './command';
import { describeSynth, synthFleet } from './synth-fleet';
import { buildFleetApp } from '../../charts/fleet-app';
import { ServiceChart } from '../../charts/service-chart';
import { LiveMeasurement, measureOnce } from '../analysis/live-check';
import { runBench } from '../bench/run-bench';
import { Fleet } from '../fleet/fleet';
import { ImageRef } from '../fleet/image-ref';
import { chartFileName, planChart, planMarkdown, planServices, readServiceFolders } from '../plan';
import { DIST } from '../synth/safe-synth';
import { ConfigError } from '../util/errors';

const SYNTH_USAGE = 'npm run synth [-- --allow-prune]';
const RELEASE_USAGE = 'npm run release -- --service NAME --env ENV --image REGISTRY/REPO[:TAG]@sha256:DIGEST';
const PROMOTE_USAGE = 'npm run promote -- --service NAME --from ENV --to ENV';
const FLEET_USAGE = 'npm run fleet [-- --json]';
const PLAN_USAGE = 'npm run plan [-- --out FOLDER]';
const CHECK_USAGE = 'npm run analysis:check -- --prometheus URL [--service NAME] [--env ENV] [--canary-hash HASH] [--stable-hash HASH]';
const BENCH_USAGE = 'npm run bench [-- --services N --envs E --runs R --no-kustomize]';
/** Where `npm run plan` writes by default: outside `dist/`, so no Argo CD Application ever reads it. */
export const PLAN_FOLDER = 'reports/plan';

/**
 * `npm run synth`: synthesizes the fleet into `dist/`. Under `npx cdk8s synth` the result is also
 * copied into cdk8s's output folder (`CDK8S_OUTDIR`), which cdk8s empties before every run.
 */
export function synthCommand(fleet: Fleet, root: string, argv: string[]): string {
  const flags = parseFlags(argv, { 'allow-prune': 'boolean' }, SYNTH_USAGE);
  const result = synthFleet(fleet, root, { allowPrune: flags['allow-prune'] || process.env.ALLOW_PRUNE === '1' });
  const cdk8sOutdir = process.env.CDK8S_OUTDIR;
  if (cdk8sOutdir) fs.cpSync(path.join(root, DIST), path.resolve(root, cdk8sOutdir), { recursive: true });
  return describeSynth(result);
}

/** `npm run release`: pins a digest for a service in an environment and re-synthesizes, atomically. */
export function releaseCommand(fleet: Fleet, root: string, argv: string[]): string {
  const flags = parseFlags(argv, { service: 'string', env: 'string', image: 'string' }, RELEASE_USAGE);
  const service = fleet.service(required(flags.service, 'service', RELEASE_USAGE), '--service').name;
  const env = fleet.environment(required(flags.env, 'env', RELEASE_USAGE), '--env').name;
  const image = ImageRef.parse(required(flags.image, 'image', RELEASE_USAGE), '--image');
  fleet.checkPin(env, service, image, '--image');
  return writePin(fleet, root, env, service, image);
}

/** `npm run promote`: copies a service's pin from one environment to the next and re-synthesizes. */
export function promoteCommand(fleet: Fleet, root: string, argv: string[]): string {
  const flags = parseFlags(argv, { service: 'string', from: 'string', to: 'string' }, PROMOTE_USAGE);
  const service = fleet.service(required(flags.service, 'service', PROMOTE_USAGE), '--service').name;
  const from = fleet.environment(required(flags.from, 'from', PROMOTE_USAGE), '--from').name;
  const to = fleet.environment(required(flags.to, 'to', PROMOTE_USAGE), '--to').name;
  if (from === to) throw new ConfigError(`'--to' is '${to}': it must differ from '--from'; promote to the next environment`);
  const image = fleet.loadPins(root).get(from, service);
  if (!image) {
    throw new ConfigError(`'--from' is '${from}': service '${service}' has no pin there, so there is nothing to promote; release it there first with npm run release -- --service ${service} --env ${from} --image ...`);
  }
  fleet.checkPin(to, service, image, '--to');
  return writePin(fleet, root, to, service, image);
}

/** `npm run fleet`: the services × environments and their pinned images, as a table or JSON. */
export function fleetCommand(fleet: Fleet, root: string, argv: string[]): string {
  const flags = parseFlags(argv, { json: 'boolean' }, FLEET_USAGE);
  const pins = fleet.loadPins(root);
  const rows = fleet.services.map(service => ({
    service: service.name,
    language: service.language.name,
    images: Object.fromEntries(fleet.environments.map(env => [
      env.name,
      fleet.environmentsOf(service).includes(env) ? pins.get(env.name, service.name)?.toString() ?? null : null,
    ])),
  }));
  if (flags.json) return JSON.stringify({ fleet: fleet.name, environments: fleet.environments.map(e => e.name), services: rows }, null, 2);
  const header = ['SERVICE', 'LANGUAGE', ...fleet.environments.map(e => e.name.toUpperCase())];
  const lines = rows.map(r => [r.service, r.language, ...fleet.environments.map(e => r.images[e.name] ?? '-')]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map(l => l[i].length)));
  return [header, ...lines].map(cells => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}

/**
 * `npm run plan`: the canary plan of every Rollout in `dist/`, derived from the synthesized objects
 * alone. Writes `plan.md` and one SVG chart per Rollout to the report folder, and prints the Markdown.
 */
export function planCommand(root: string, argv: string[]): string {
  const flags = parseFlags(argv, { out: 'string' }, PLAN_USAGE);
  const out = path.resolve(root, flags.out ?? PLAN_FOLDER);
  const relativeOut = path.relative(root, out);
  if (relativeOut === DIST || relativeOut.startsWith(`${DIST}${path.sep}`)) {
    throw new ConfigError(`'--out' is '${flags.out}': Argo CD reads every yaml file under dist/, and reports do not belong there; write them outside dist/, e.g. ${PLAN_FOLDER}`);
  }
  const plans = planServices(readServiceFolders(path.join(root, DIST)));
  if (plans.length === 0) throw new ConfigError(`${DIST}/: holds no Rollout to plan; run npm run synth first`);
  const markdown = planMarkdown(plans);
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, 'plan.md'), markdown);
  for (const plan of plans) fs.writeFileSync(path.join(out, chartFileName(plan)), planChart(plan));
  return markdown;
}

/**
 * `npm run analysis:check`: runs every metric of the selected services' canary analysis once against a
 * live Prometheus, with the args the Rollout would pass, and judges each with the metric's typed
 * threshold. Fails when any metric is Failed or Error.
 */
export async function analysisCheckCommand(fleet: Fleet, root: string, argv: string[]): Promise<CommandResult> {
  const flags = parseFlags(argv, { 'prometheus': 'string', 'service': 'string', 'env': 'string', 'canary-hash': 'string', 'stable-hash': 'string' }, CHECK_USAGE);
  const prometheus = required(flags.prometheus, 'prometheus', CHECK_USAGE);
  if (!/^https?:\/\/[^\s]+$/.test(prometheus)) throw new ConfigError(`'--prometheus' is '${prometheus}': must be an http(s) url; use e.g. http://localhost:9090`);
  const checks: AnalysisCheck[] = [];
  for (const chart of deployedCharts(fleet, root, flags.service, flags.env)) {
    checks.push(...await checkAnalysis(chart, prometheus, { canaryHash: flags['canary-hash'], stableHash: flags['stable-hash'] }));
  }
  return { output: checks.map(c => c.line).join('\n'), failed: checks.some(c => c.phase === 'Failed' || c.phase === 'Error') };
}

/**
 * The service charts of the fleet's pinned deployments, narrowed to one service and one environment
 * where they are named.
 * @throws ConfigError for an unknown name, or when no pinned deployment matches
 */
export function deployedCharts(fleet: Fleet, root: string, service?: string, env?: string): ServiceChart[] {
  const serviceName = service === undefined ? undefined : fleet.service(service, '--service').name;
  const envName = env === undefined ? undefined : fleet.environment(env, '--env').name;
  const charts = buildFleetApp(fleet, fleet.loadPins(root)).services
    .filter(c => (serviceName ?? c.deployment.service.name) === c.deployment.service.name && (envName ?? c.deployment.environment.name) === c.deployment.environment.name);
  if (charts.length === 0) {
    throw new ConfigError(`'--service' is '${serviceName ?? '(any)'}' and '--env' is '${envName ?? '(any)'}': no pinned deployment matches, so there is no analysis to check; pick a deployed service and environment (npm run fleet)`);
  }
  return charts;
}

/** One metric of a canary analysis, measured once. */
export interface AnalysisCheck {
  readonly phase: LiveMeasurement['phase'];
  /** The result as `analysis:check` prints it. */
  readonly line: string;
}

/**
 * Runs every metric of one service chart's canary analysis once against a live Prometheus, with the
 * args the Rollout would pass, and judges each with the metric's typed threshold.
 */
export async function checkAnalysis(chart: ServiceChart, prometheus: string, hashes: { canaryHash?: string; stableHash?: string }): Promise<AnalysisCheck[]> {
  const { environment, service } = chart.deployment;
  const context = { name: service.name, namespace: environment.namespace, ...hashes };
  const checks: AnalysisCheck[] = [];
  for (const template of chart.analysis.templates) {
    const args: Record<string, string> = {};
    for (const arg of template.args) {
      const value = chart.analysis.args?.[arg.name]?.resolve(context) ?? arg.value;
      if (value === undefined) {
        throw new ConfigError(`${environment.name}/${service.name}: template '${template.name}' arg '${arg.name}' has no value here; pass --canary-hash (the canary pods' rollouts-pod-template-hash label) or --stable-hash`);
      }
      args[arg.name] = value;
    }
    for (const metric of template.metrics) {
      const result = await measureOnce(metric, args, prometheus);
      const detail = result.error ?? (result.values.length ? result.values.map(v => Number(v.toPrecision(6))).join(', ') : 'empty result');
      checks.push({ phase: result.phase, line: `${environment.name}/${service.name} ${template.name}/${metric.name}: ${result.phase} (${detail}); condition ${metric.threshold.describe()}` });
    }
  }
  return checks;
}

/**
 * `npm run bench`: synthesizes a generated N × E fleet and prints one JSON line with its size, time,
 * memory, the `yaml`-only floor and kustomize's time for the same documents. The comparison with
 * kustomize goes to stderr, and a difference in the rendered objects fails the command.
 */
export function benchCommand(argv: string[]): CommandResult {
  const flags = parseFlags(argv, { 'services': 'string', 'envs': 'string', 'runs': 'string', 'no-kustomize': 'boolean' }, BENCH_USAGE);
  const count = (flag: 'services' | 'envs' | 'runs', fallback: number) => {
    const value = Number(flags[flag] ?? fallback);
    if (!Number.isInteger(value) || value < 1) throw new ConfigError(`'--${flag}' is '${flags[flag]}': must be a positive integer; usage: ${BENCH_USAGE}`);
    return value;
  };
  const { result, differences } = runBench({ services: count('services', 100), envs: count('envs', 3), runs: count('runs', 1), kustomize: !flags['no-kustomize'] });
  if (result.kustomize_s !== null) {
    const verdict = differences.length ? `${differences.length} objects differ, e.g. ${differences.slice(0, 3).join('; ')}` : `both render the same ${result.documents} objects`;
    console.error(`kustomize took ${(result.kustomize_s / result.wall_s).toFixed(1)}× as long as the synth; ${verdict}`);
  }
  console.error(`the synth took ${(result.wall_s / result.floor_s).toFixed(2)}× the yaml-only floor`);
  return { output: JSON.stringify(result), failed: differences.length > 0 };
}

function writePin(fleet: Fleet, root: string, env: string, service: string, image: ImageRef): string {
  const pins = fleet.loadPins(root).with(env, service, image);
  const result = synthFleet(fleet, root, { pins, extraFiles: new Map([[pins.file(env), pins.render(env)]]) });
  return `pinned ${service} in ${env} to ${image}\n${describeSynth(result)}`;
}
