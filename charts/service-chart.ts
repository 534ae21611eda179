import { Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { Paths } from './paths';
import { AnalysisTemplate, PRESET_ARGS, appHttpSuccessRate } from '../lib/analysis';
import { SyncWave } from '../lib/argocd';
import { Fleet, ServiceDeployment } from '../lib/fleet';
import { ArgValue, CanaryStep, Rollout, RolloutStrategy } from '../lib/rollout';
import { OutputFolder } from '../lib/synth';
import { PodDisruptionBudget } from '../lib/workload';

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

/**
 * One service in one environment: the canary Rollout, its Services, the analysis that gates each
 * traffic step, and what keeps releases free of dropped requests (readiness probe, surge without
 * unavailability, a disruption budget, a preStop delay).
 */
export class ServiceChart extends Chart {
  public readonly rollout: Rollout;

  constructor(scope: Construct, id: string, props: ServiceChartProps) {
    const { service, environment, image, settings } = props.deployment;
    super(scope, id, {
      namespace: environment.namespace,
      labels: { 'app.kubernetes.io/part-of': props.fleet.name, 'app.kubernetes.io/managed-by': 'cdk8s' },
    });
    OutputFolder.mark(this, { path: Paths.service(environment.name, service.name) });

    const preset = appHttpSuccessRate({
      address: props.prometheusAddress ?? 'http://prometheus-operated.monitoring.svc:9090',
      minSuccessRate: settings.minSuccessRate,
      interval: settings.analysisInterval,
      count: settings.analysisCount,
    });
    const analysis = new AnalysisTemplate(this, 'SuccessRate', {
      metadata: { name: `${service.name}-success-rate` },
      metrics: [preset.metric],
      args: preset.args,
    });

    const servicePort = { port: SERVICE_PORT, targetPort: service.port, name: 'http' };
    const stable = new kplus.Service(this, 'StableService', { metadata: { name: `${service.name}-stable` }, ports: [servicePort] });
    const canary = new kplus.Service(this, 'CanaryService', { metadata: { name: `${service.name}-canary` }, ports: [servicePort] });
    // Clients call this one: without a traffic router, the canary's share is its share of the pods.
    const entry = new kplus.Service(this, 'Service', { metadata: { name: service.name }, ports: [servicePort] });

    const runAnalysis = CanaryStep.analysis({
      templates: [analysis],
      args: {
        [PRESET_ARGS.canaryHash]: ArgValue.canaryPodTemplateHash(),
        [PRESET_ARGS.namespace]: ArgValue.fieldRef('metadata.namespace'),
      },
    });
    this.rollout = new Rollout(this, 'Rollout', {
      metadata: { name: service.name },
      replicas: settings.autoscaling ? undefined : settings.replicas,
      terminationGracePeriod: Duration.seconds(30),
      securityContext: { ensureNonRoot: true },
      strategy: RolloutStrategy.canary({
        stableService: stable,
        canaryService: canary,
        steps: settings.canaryWeights.flatMap(weight => [CanaryStep.setWeight(weight), runAnalysis]),
      }),
    });
    const container = this.rollout.addContainer({
      name: service.name,
      image: image.toString(),
      // The digest pins the image: pulling again could not change it.
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      portNumber: service.port,
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
    for (const svc of [stable, canary, entry]) svc.select(this.rollout);

    const pdb = new PodDisruptionBudget(this, 'DisruptionBudget', { metadata: { name: service.name }, workload: this.rollout });
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
    for (const referenced of [analysis, stable, canary, entry, pdb]) SyncWave.REFERENCED.applyTo(referenced);
    SyncWave.WORKLOAD.applyTo(this.rollout);
  }
}
