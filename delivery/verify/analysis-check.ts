import { buildFleetApp } from '../../charts/fleet-app';
import { ServiceChart } from '../../charts/service-chart';
import { LiveMeasurement, isThresholdMetric, measureOnce } from '../../lib/analysis';
import { fail } from '../../lib/errors';
import { Fleet } from '../../model';
import { loadPins } from '../pins';

/**
 * The service charts of the fleet's pinned deployments, narrowed to one service and one environment
 * where they are named.
 * @throws ConfigError for an unknown name, or when no pinned deployment matches
 */
export function deployedCharts(fleet: Fleet, root: string, service?: string, env?: string): ServiceChart[] {
  const serviceName = service === undefined ? undefined : fleet.service(service, '--service').name;
  const envName = env === undefined ? undefined : fleet.environment(env, '--env').name;
  const charts = buildFleetApp(fleet, loadPins(fleet, root)).services
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
  const runs = chart.service.analyses.flatMap(analysis => analysis.templates.map(template => ({ analysis, template })));
  for (const { analysis, template } of runs) {
    const args: Record<string, string> = {};
    for (const arg of template.args) {
      const value = analysis.args?.[arg.name]?.resolve(context) ?? arg.value;
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
