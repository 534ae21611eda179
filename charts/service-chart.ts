import { createHash } from 'crypto';
import { Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { Paths } from './paths';
import { serviceRouting } from './service-routing';
import { AnalysisTemplate, PRESET_ARGS, latencyMetric, successRateMetric } from '../lib/analysis';
import { SyncWave } from '../lib/argocd';
import { Fleet, ServiceDeployment } from '../lib/fleet';
import { EXPECTED_RPS_ANNOTATION } from '../lib/plan';
import { AnalysisRunProps, ArgValue, CanaryStep, ControllerOwnedField, Rollout, RolloutStrategy } from '../lib/rollout';
import { OutputFolder } from '../lib/synth';
import { failAt } from '../lib/util/errors';
import { PodDisruptionBudget, PodMonitor } from '../lib/workload';

/** Properties of a {@link ServiceChart}. */
export interface ServiceChartProps {
  readonly fleet: Fleet;
  /** The service and environment this chart deploys. */
  readonly deployment: ServiceDeployment;
  /**
   * The Prometheus server the analysis queries.
   * @default 'http://prometheus-operated.monitoring.svc:9090'
   */
  readonly prometheusAddress?: string;
}

/** The port clients reach a service on; the container port is the service's own. */
const SERVICE_PORT = 80;
/** The container port's name, which the PodMonitor scrapes. */
const PORT_NAME = 'http';
/** What the shell and the kernel accept as an environment variable name. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * One service in one environment: the canary Rollout, its Services and router, the analysis that
 * gates each traffic step and the PodMonitor that feeds it, and what keeps releases free of dropped
 * requests (readiness probe, surge without unavailability, a disruption budget, a preStop delay).
 */
export class ServiceChart extends Chart {
  public readonly deployment: ServiceDeployment;
  public readonly rollout: Rollout;
  /** The analysis every canary step runs: its template and the args the Rollout passes. */
  public readonly analysis: AnalysisRunProps;

  constructor(scope: Construct, id: string, props: ServiceChartProps) {
    const { service, environment, image, settings } = props.deployment;
    super(scope, id, {
      namespace: environment.namespace,
      labels: { 'app.kubernetes.io/part-of': props.fleet.name, 'app.kubernetes.io/managed-by': 'cdk8s' },
    });
    this.deployment = props.deployment;
    OutputFolder.mark(this, { path: Paths.service(environment.name, service.name) });

    const servicePort = { port: SERVICE_PORT, targetPort: service.port, name: PORT_NAME };
    const stable = new kplus.Service(this, 'StableService', { metadata: { name: `${service.name}-stable` }, ports: [servicePort] });
    const canary = new kplus.Service(this, 'CanaryService', { metadata: { name: `${service.name}-canary` }, ports: [servicePort] });
    // Clients inside the cluster call this one; without a router the canary's share is its share of the pods.
    const entry = new kplus.Service(this, 'Service', { metadata: { name: service.name }, ports: [servicePort] });
    const routing = serviceRouting(this, settings.routing.spec, { name: service.name, stable, canary, port: SERVICE_PORT });

    const address = props.prometheusAddress ?? 'http://prometheus-operated.monitoring.svc:9090';
    const measure = { address, interval: settings.analysisInterval, count: settings.analysisCount };
    const analysis = new AnalysisTemplate(this, 'Analysis', {
      metadata: { name: `${service.name}-canary` },
      metrics: [
        successRateMetric(routing.metricSource, { ...measure, minSuccessRate: settings.minSuccessRate }),
        ...settings.maxLatency ? [latencyMetric(routing.metricSource, { ...measure, maxLatency: settings.maxLatency })] : [],
      ],
      args: routing.metricSource.args,
    });
    const argValues: Record<string, ArgValue> = {
      [PRESET_ARGS.canaryHash]: ArgValue.canaryPodTemplateHash(),
      [PRESET_ARGS.canaryService]: ArgValue.of(canary.name),
      [PRESET_ARGS.namespace]: ArgValue.fieldRef('metadata.namespace'),
    };
    this.analysis = {
      templates: [analysis],
      args: Object.fromEntries(routing.metricSource.argNames.map(name => [name, argValues[name]])),
    };
    const runAnalysis = CanaryStep.analysis(this.analysis);

    this.rollout = new Rollout(this, 'Rollout', {
      metadata: {
        name: service.name,
        annotations: settings.expectedRequestRate === undefined ? undefined : { [EXPECTED_RPS_ANNOTATION]: String(settings.expectedRequestRate) },
      },
      replicas: settings.autoscaling ? undefined : settings.replicas,
      terminationGracePeriod: Duration.seconds(30),
      securityContext: { ensureNonRoot: true },
      strategy: RolloutStrategy.canary({
        stableService: stable,
        canaryService: canary,
        trafficRouter: routing.router,
        steps: settings.canaryWeights.flatMap(weight => [CanaryStep.setWeight(weight), runAnalysis]),
      }),
    });
    const container = this.rollout.addContainer({
      name: service.name,
      image: image.toString(),
      // The digest pins the image: pulling again could not change it.
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      ports: [{ number: service.port, name: PORT_NAME }],
      readiness: kplus.Probe.fromHttpGet(service.readinessPath ?? '/healthz', {
        port: service.port,
        periodSeconds: Duration.seconds(5),
        failureThreshold: 2,
      }),
      resources: settings.resources,
      securityContext: {
        ensureNonRoot: true,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: [kplus.Capability.ALL] },
        seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
      },
      // Endpoints are removed asynchronously: keep serving until load balancers stop sending traffic.
      lifecycle: { preStop: kplus.Handler.fromCommand(['sleep', '5']) },
    });
    // A read-only root filesystem still needs somewhere to write temporary files.
    container.mount('/tmp', kplus.Volume.fromEmptyDir(this, 'Tmp', 'tmp'));
    const referenced: Construct[] = [analysis, stable, canary, entry, ...routing.objects];
    const config = this.configMap(service.name, settings.config);
    if (config) referenced.push(config);
    for (const name of Object.keys(settings.config)) {
      container.env.addVariable(this.envName('config', name), kplus.EnvValue.fromConfigMap(config!, name));
    }
    for (const [name, ref] of Object.entries(settings.secretEnv)) {
      const secret = kplus.Secret.fromSecretName(this, `Secret-${name}`, ref.name);
      container.env.addVariable(this.envName('secretEnv', name), kplus.EnvValue.fromSecretValue({ secret, key: ref.key }));
    }
    for (const svc of [stable, canary, entry]) svc.select(this.rollout);

    referenced.push(new PodDisruptionBudget(this, 'DisruptionBudget', { metadata: { name: service.name }, workload: this.rollout }));
    referenced.push(new PodMonitor(this, 'PodMonitor', { metadata: { name: service.name }, workload: this.rollout, portName: PORT_NAME }));
    if (settings.autoscaling) {
      const hpa = new kplus.HorizontalPodAutoscaler(this, 'Autoscaler', {
        metadata: { name: service.name },
        target: this.rollout,
        minReplicas: settings.autoscaling.minReplicas ?? 2,
        maxReplicas: settings.autoscaling.maxReplicas,
        metrics: [kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(settings.autoscaling.cpuUtilizationPercent ?? 70))],
      });
      SyncWave.AFTER_WORKLOAD.applyTo(hpa);
    }
    for (const construct of referenced) SyncWave.REFERENCED.applyTo(construct);
    SyncWave.WORKLOAD.applyTo(this.rollout);
  }

  /** Fields the rollout controller writes at run time, which the service's Application must ignore. */
  public get controllerOwnedFields(): ControllerOwnedField[] {
    return this.rollout.controllerOwnedFields();
  }

  /**
   * The ConfigMap of the service's plain configuration. Its name carries a hash of the content, so a
   * change makes a new pod template, which the Rollout releases as a canary.
   */
  private configMap(serviceName: string, config: Record<string, string>): kplus.ConfigMap | undefined {
    if (Object.keys(config).length === 0) return undefined;
    const hash = createHash('sha256').update(JSON.stringify(Object.entries(config).sort())).digest('hex').slice(0, 10);
    return new kplus.ConfigMap(this, 'Config', { metadata: { name: `${serviceName}-config-${hash}` }, data: config, immutable: true });
  }

  private envName(field: string, name: string): string {
    if (!ENV_NAME.test(name)) {
      failAt(this, `${field}.${name}`, name, 'is not a valid environment variable name', 'use letters, digits and underscores, starting with a letter or underscore');
    }
    return name;
  }
}
