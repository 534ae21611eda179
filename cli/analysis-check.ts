import { buildFleetApp } from '../charts/fleet-app';
import { ServiceChart } from '../charts/service-chart';
import { LiveMeasurement, isThresholdMetric, measureOnce } from '../lib/analysis';
import { fail } from '../lib/errors';
import { Fleet } from '../lib/fleet';
import { CommandResult, parseFlags, required } from './command';

const USAGE = 'npm run analysis:check -- --prometheus URL [--service NAME] [--env ENV] [--canary-hash HASH] [--stable-hash HASH]';

/**
 * `npm run analysis:check`: runs every metric of the selected services' canary analysis once against a
 * live Prometheus, with the args the Rollout would pass, and judges each with the metric's typed
 * threshold. Fails when any metric is Failed or Error.
 */
export async function analysisCheckCommand(fleet: Fleet, root: string, argv: string[]): Promise<CommandResult> {
  const flags = parseFlags(argv, { 'prometheus': 'string', 'service': 'string', 'env': 'string', 'canary-hash': 'string', 'stable-hash': 'string' }, USAGE);
  const prometheus = required(flags.prometheus, 'prometheus', USAGE);
  if (!/^https?:\/\/[^\s]+$/.test(prometheus)) fail({ at: 'analysis:check', field: '--prometheus', value: prometheus, rule: 'must be an http(s) url', fix: 'use e.g. http://localhost:9090' });
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
    .filter(({ deployment: { service: s, environment: e } }) => (serviceName ?? s.name) === s.name && (envName ?? e.name) === e.name);
  if (charts.length === 0) {
    fail({ at: 'analysis:check', field: '--service/--env', value: `${serviceName ?? '(any)'}/${envName ?? '(any)'}`, rule: 'no pinned deployment matches, so there is no analysis to check', fix: 'pick a deployed service and environment (npm run fleet)' });
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
export async function checkAnalysis(
  chart: ServiceChart,
  prometheus: string,
  hashes: { canaryHash?: string; stableHash?: string },
): Promise<AnalysisCheck[]> {
  const { environment, service } = chart.deployment;
  const context = { name: service.name, namespace: environment.namespace, ...hashes };
  const checks: AnalysisCheck[] = [];
  for (const template of chart.service.analysis.templates) {
    const args: Record<string, string> = {};
    for (const arg of template.args) {
      const value = chart.service.analysis.args?.[arg.name]?.resolve(context) ?? arg.value;
      if (value === undefined) {
        fail({ at: `${environment.name}/${service.name}`, field: `${template.name}.args.${arg.name}`, value: undefined, rule: 'has no value outside the cluster', fix: "pass --canary-hash (the canary pods' rollouts-pod-template-hash label) or --stable-hash" });
      }
      args[arg.name] = value;
    }
    // The pattern's templates hold only preset metrics, which are Prometheus metrics with a typed threshold.
    for (const metric of (template.metrics ?? []).filter(isThresholdMetric)) {
      const result = await measureOnce(metric, args, prometheus);
      const detail = result.error ?? (result.values.length ? result.values.map(v => Number(v.toPrecision(6))).join(', ') : 'empty result');
      checks.push({ phase: result.phase, line: `${environment.name}/${service.name} ${template.name}/${metric.name}: ${result.phase} (${detail}); condition ${metric.threshold.describe()}` });
    }
  }
  return checks;
}
