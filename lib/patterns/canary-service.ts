import { createHash } from 'crypto';
import { ApiObject, Duration, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { SecretKeyRef } from '../analysis/analysis-arg';
import { AnalysisTemplate } from '../analysis/analysis-template';
import { COMPARISON_DEFAULTS, ComparisonOptions, criticalZ, minimumDetectableRate, resolveComparison } from '../analysis/canary-comparison';
import { MetricSource, PRESET_ARGS, canaryComparisonMetric, latencyMetric } from '../analysis/presets';
import { Verdict } from '../analysis/threshold';
import { SyncWave } from '../argocd/sync-wave';
import { Problem, problemAt, reportAt, reportInputs } from '../errors/problem';
import { AnalysisRunProps } from '../rollout/analysis-run';
import { ArgValue } from '../rollout/arg-value';
import { CanaryStep } from '../rollout/canary-step';
import { Rollout } from '../rollout/rollout';
import { RolloutStrategy } from '../rollout/rollout-strategy';
import { ControllerOwnedField } from '../rollout/strategy-target';
import { TrafficRouter } from '../rollout/traffic-router';
import { ImageRef } from '../workload/image-ref';
import { PodDisruptionBudget } from '../workload/pod-disruption-budget';
import { PodMonitor } from '../workload/pod-monitor';
import { EXPECTED_RPS_ANNOTATION, NOT_SECRET_ANNOTATION } from './annotations';
import { Routing } from './routing';

/** Autoscaling of a {@link CanaryService}. */
export interface CanaryAutoscaling {
  /**
   * The fewest replicas the autoscaler keeps.
   * @default 2
   */
  readonly minReplicas?: number;
  /** The most replicas the autoscaler may create. */
  readonly maxReplicas: number;
  /**
   * The average CPU utilization, in percent of the request, the autoscaler aims for.
   * @default 70
   */
  readonly cpuUtilizationPercent?: number;
}

/**
 * Every default of {@link CanaryServiceProps}, named so that the layers above (the fleet model)
 * resolve settings with the same values instead of restating them.
 */
export const CANARY_SERVICE_DEFAULTS = {
  replicas: 3,
  autoscaling: { minReplicas: 2, cpuUtilizationPercent: 70 },
  resources: {
    cpu: { request: kplus.Cpu.millis(100) },
    memory: { request: Size.mebibytes(256), limit: Size.mebibytes(256) },
  } as kplus.ContainerResources,
  canaryWeights: [10, 50] as readonly number[],
  minSuccessRate: 0.99,
  analysisInterval: Duration.seconds(30),
  analysisCount: 5,
  scrapeInterval: Duration.seconds(10),
  falseAbortBudget: COMPARISON_DEFAULTS.alpha,
  routing: Routing.replicas(),
  readinessPath: '/healthz',
  /** prometheus-operator's default Service. */
  prometheusAddress: 'http://prometheus-operated.monitoring.svc:9090',
  servicePort: 80,
  namedTargetPort: false,
  terminationGracePeriod: Duration.seconds(30),
  preStopDelay: Duration.seconds(5),
} as const;

/** Properties of a {@link CanaryService}. */
export interface CanaryServiceProps {
  /** The service's name, an RFC 1123 label: it names the Rollout, its Services and its other objects. */
  readonly name: string;
  /** The image to run, pinned by digest: `ImageRef.parse` refuses a tag alone, so a tag can never move under a running Rollout. */
  readonly image: ImageRef;
  /** The container port the service listens on for HTTP. */
  readonly port: number;
  /**
   * The port clients reach the service's Services on.
   * @default 80
   */
  readonly servicePort?: number;
  /**
   * Whether the Services target the container port by its name (`http`) rather than its number, so
   * that the number can change, or differ between versions, without a change to the Services.
   * @default false
   */
  readonly namedTargetPort?: boolean;
  /**
   * The HTTP path that answers 200 once the service can take traffic.
   * @default '/healthz'
   */
  readonly readinessPath?: string;
  /**
   * Pod replicas when no autoscaler is set.
   * @default 3
   */
  readonly replicas?: number;
  /**
   * Autoscaling; replaces `replicas`, and the Rollout then emits none, so Argo CD never fights the autoscaler.
   * @default - no autoscaler
   */
  readonly autoscaling?: CanaryAutoscaling;
  /**
   * CPU and memory requests and limits of the container.
   * @default - cpu request 100m, memory request and limit 256Mi, no cpu limit
   */
  readonly resources?: kplus.ContainerResources;
  /**
   * The canary traffic weights, in percent, each followed by an analysis run; after the last one the
   * Rollout promotes fully.
   * @default [10, 50]
   */
  readonly canaryWeights?: readonly number[];
  /**
   * The success rate the service is held to, between 0 and 1. The canary is judged against the stable
   * version over the same window, not against this number: it fails when its error rate is
   * significantly above 1.5 × stable's plus a tolerance of 1/20 of this error budget (0.05 points at
   * 0.99), so a fault that hits both versions never aborts the canary; a stricter rate, a stricter test.
   * @default 0.99
   */
  readonly minSuccessRate?: number;
  /**
   * The probability that a healthy release is aborted by chance, over every measurement of every step
   * (Bonferroni: each measurement gets falseAbortBudget / measurements).
   * @default 0.01
   */
  readonly falseAbortBudget?: number;
  /**
   * How often Prometheus scrapes the traffic router's metrics (Istio's proxies, the ingress-nginx
   * controller), which the analysis queries instead of the app's own; the app's PodMonitor does not
   * scrape them. Ignored without a router.
   * @default - the scrape interval of the app's PodMonitor
   */
  readonly routerScrapeInterval?: Duration;
  /**
   * The highest p99 latency of the canary that passes analysis.
   * @default - latency is not measured
   */
  readonly maxLatency?: Duration;
  /**
   * The requests per second the service takes at full traffic, recorded on the Rollout for `npm run plan`.
   * @default - not declared
   */
  readonly expectedRequestRate?: number;
  /**
   * How traffic reaches the canary.
   * @default Routing.replicas()
   */
  readonly routing?: Routing;
  /**
   * Plain configuration, as environment variables from an immutable ConfigMap whose name carries a hash
   * of its content, so a change rolls out as a canary like an image change.
   * @default - none
   */
  readonly config?: Readonly<Record<string, string>>;
  /**
   * Environment variables from Secrets that exist in the cluster, by variable name.
   * @default - none
   */
  readonly secretEnv?: Readonly<Record<string, SecretKeyRef>>;
  /**
   * Keys of `config` whose names look like a secret's (`TOKEN_ISSUER_URL`) but whose values are
   * none, each with the reason, which the ConfigMap records in its `infra-delivery.io/not-secret`
   * annotation. A value that carries a secret (a url with a password, a private key) is refused still.
   * @default - none: a config key named like a secret is refused
   */
  readonly notSecret?: Readonly<Record<string, string>>;
  /**
   * How often the analysis measures. With the default window and scrape interval, a 20% error spike
   * is caught within about interval + 2 scrapes + 5% of the window.
   * @default Duration.seconds(30)
   */
  readonly analysisInterval?: Duration;
  /**
   * The window each measurement counts requests over; at least four scrapes of the queried metrics.
   * @default - the longest of the analysis interval, four scrapes, and the time the first canary step
   * needs at the declared request rate to see twice the data floor (10 canary requests)
   */
  readonly analysisWindow?: Duration;
  /**
   * How often Prometheus scrapes the pods (the PodMonitor's interval). The first measurement waits two
   * scrapes and 5 s more, since a counter needs two scrapes after the canary's first requests before
   * rate() returns them; the traffic router's own metrics must be scraped at least as often.
   * @default Duration.seconds(10)
   */
  readonly scrapeInterval?: Duration;
  /**
   * How many measurements each analysis step takes.
   * @default 5
   */
  readonly analysisCount?: number;
  /**
   * The Prometheus server the analysis queries.
   * @default 'http://prometheus-operated.monitoring.svc:9090'
   */
  readonly prometheusAddress?: string;
  /**
   * How long a terminating pod may take to finish its requests.
   * @default Duration.seconds(30)
   */
  readonly terminationGracePeriod?: Duration;
  /**
   * How long a terminating pod keeps serving before it is signalled, while load balancers stop sending to it.
   * @default Duration.seconds(5)
   */
  readonly preStopDelay?: Duration;
}

/** The container port's name, which the PodMonitor scrapes. */
const PORT_NAME = 'http';
/** Time past the second scrape for the scrape itself and Prometheus's ingestion. */
const FIRST_MEASUREMENT_MARGIN_S = 5;
/** The comparison's tolerance above 1.5 × stable's error rate, as a share of the error budget 1 − minSuccessRate. */
const TOLERANCE_SHARE_OF_ERROR_BUDGET = 1 / 20;
/** Canary requests the first step's window should hold at the declared rate: twice the data floor. */
const WINDOW_REQUESTS = 2 * COMPARISON_DEFAULTS.minRequests;
/** The longest window derived from a declared rate; a rate that needs more is refused. */
const MAX_WINDOW_S = 600;
/** The error rate above stable's that a release must catch by its end at the declared rate (#24), and the stable rate it is stated against. */
const DETECTABLE_EFFECT = 0.02;
const BASELINE_ERROR_RATE = 0.001;
/** The longest analysed step derived from a declared rate; a rate that needs more is refused with the step it would need. */
const MAX_STEP_S = 1800;
/** What the shell and the kernel accept as an environment variable name. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Variable names that hold secrets by convention (DB_PASSWORD, GITHUB_TOKEN, STRIPE_API_KEY). */
const SECRET_KEY_NAME = /(^|_)(PASSWORD|PASSWD|PWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIALS?)(_|$)/i;
/** Values that carry a secret whatever their name: a url with a password, a private key. */
const SECRET_VALUE = [/^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:[^/\s@]+@/i, /-----BEGIN [A-Z ]*PRIVATE KEY-----/];

/**
 * A service released as a measured canary, with nothing dropped on the way: the canary Rollout, its
 * stable, canary and entry Services and router, the analysis that gates each traffic step and the
 * PodMonitor that feeds it, a disruption budget, an optional autoscaler, and Argo CD sync waves that
 * create what the Rollout references before it. Zero downtime comes from a readiness probe, surge
 * without unavailability, and a preStop delay inside the grace period.
 */
export class CanaryService extends Construct {
  public readonly rollout: Rollout;
  /**
   * The analyses the canary steps run, each with its template and the args the Rollout passes: every
   * step's, then the last step's when the declared request rate needs it longer (analysisTiming).
   */
  public readonly analyses: readonly AnalysisRunProps[];

  constructor(scope: Construct, id: string, props: CanaryServiceProps) {
    super(scope, id);
    const problems = this.inputProblems(props);
    reportInputs(this, problems);
    const services = this.services(props);
    const routing = (props.routing ?? CANARY_SERVICE_DEFAULTS.routing)._bind(this, {
      name: props.name, stable: services.stable, canary: services.canary, port: props.servicePort ?? CANARY_SERVICE_DEFAULTS.servicePort,
    });
    const timing = analysisTiming(props, routing.metricSource);
    for (const p of timing.problems) reportAt(this, p.field, p.value, p.rule, p.fix);
    const templates = this.analysisTemplates(props, routing.metricSource, timing);
    this.analyses = templates.map(template => this.analysisRun(template, routing.metricSource, services));
    this.rollout = this.canaryRollout(props, services, routing.router);
    const container = this.container(props);
    const configuration = this.configuration(props, container);
    for (const service of services.all) service.select(this.rollout);
    const guards = this.guards(props);
    // An autoscaler with bad bounds is reported above; kplus would throw on it without naming the field.
    if (props.autoscaling && !problems.some(p => p.includes("'autoscaling."))) this.autoscaler(props.name, props.autoscaling);
    for (const construct of [...templates, ...services.all, ...routing.objects, ...configuration, ...guards]) SyncWave.REFERENCED.applyTo(construct);
    SyncWave.WORKLOAD.applyTo(this.rollout);
  }

  /** Fields the rollout controller writes at run time, which the service's Application must ignore. */
  public get controllerOwnedFields(): ControllerOwnedField[] {
    return this.rollout.controllerOwnedFields();
  }

  /** The props' problems, each naming this construct and the field. */
  private inputProblems(props: CanaryServiceProps): string[] {
    const problems = canaryServiceSettingProblems(props).map(p => problemAt(this, p.field, p.value, p.rule, p.fix));
    // The type asks for an ImageRef; a caller without types could still pass a bare tag.
    if (!(props.image instanceof ImageRef)) {
      problems.push(problemAt(this, 'image', String(props.image), 'must be an ImageRef, pinned by digest', "parse it with ImageRef.parse('registry/repo@sha256:<64 hex>', 'where it came from')"));
    }
    return problems;
  }

  /** The stable and canary Services the controller points at each version, and the entry Service clients call. */
  private services(props: CanaryServiceProps): CanaryServices {
    const ports = [{ port: props.servicePort ?? CANARY_SERVICE_DEFAULTS.servicePort, targetPort: props.port, name: PORT_NAME }];
    const stable = new kplus.Service(this, 'StableService', { metadata: { name: `${props.name}-stable` }, ports });
    const canary = new kplus.Service(this, 'CanaryService', { metadata: { name: `${props.name}-canary` }, ports });
    // Clients inside the cluster call this one; without a router the canary's share is its share of the pods.
    const entry = new kplus.Service(this, 'Service', { metadata: { name: props.name }, ports });
    if (props.namedTargetPort ?? CANARY_SERVICE_DEFAULTS.namedTargetPort) {
      // cdk8s-plus takes a numbered target port only. The patch applies before the L1's own filter,
      // which reads int-or-string values as IntOrString, so the name goes in as one.
      const byName = kplus.k8s.IntOrString.fromString(PORT_NAME);
      for (const service of [stable, canary, entry]) ApiObject.of(service).addJsonPatch(JsonPatch.replace('/spec/ports/0/targetPort', byName));
    }
    return { stable, canary, all: [stable, canary, entry] };
  }

  /**
   * The analyses the steps run: errors against stable, and latency when bounded; a second template
   * for the last step when it measures more, or over a longer window, than the others.
   */
  private analysisTemplates(props: CanaryServiceProps, source: MetricSource, timing: AnalysisTiming): AnalysisTemplate[] {
    const weights = props.canaryWeights ?? CANARY_SERVICE_DEFAULTS.canaryWeights;
    // A count that is not a positive integer is the metric's own problem (reported with its field); 1 keeps this defined.
    const countOf = (count: number) => (Number.isInteger(count) && count >= 1 ? count : 1);
    const measurements = Math.max(0, weights.length - 1) * countOf(timing.count) + countOf(timing.final?.count ?? timing.count);
    const comparison = comparisonSettings(props, measurements);
    const template = (id: string, name: string, count: number, window: Duration) =>
      this.analysisTemplate(props, source, timing, { id, name, count, window, comparison });
    const every = template('Analysis', `${props.name}-canary`, timing.count, timing.window);
    return timing.final ? [every, template('FinalAnalysis', `${props.name}-canary-final`, timing.final.count, timing.final.window)] : [every];
  }

  /** One analysis template: `count` measurements over `window`, judged with the release's comparison options. */
  private analysisTemplate(
    props: CanaryServiceProps, source: MetricSource, timing: AnalysisTiming,
    step: { readonly id: string; readonly name: string; readonly count: number; readonly window: Duration; readonly comparison: ComparisonOptions },
  ): AnalysisTemplate {
    const measure = {
      address: props.prometheusAddress ?? CANARY_SERVICE_DEFAULTS.prometheusAddress,
      interval: timing.interval,
      window: step.window,
      initialDelay: timing.initialDelay,
      count: step.count,
    };
    return new AnalysisTemplate(this, step.id, {
      metadata: { name: step.name },
      metrics: [
        canaryComparisonMetric(source, { ...measure, comparison: step.comparison, scrapeInterval: timing.scrape }),
        // No traffic gives a NaN quantile: Inconclusive like the comparison's data floor, so an idle release pauses instead of
        // aborting; +Inf (the quantile in the +Inf bucket) is a slow canary and fails.
        ...props.maxLatency ? [latencyMetric(source, {
          ...measure, window: timing.latencyWindow, maxLatency: props.maxLatency,
          dataPolicy: { onNaN: Verdict.INCONCLUSIVE, onEmpty: Verdict.INCONCLUSIVE, onInf: Verdict.FAIL },
          inconclusiveLimit: Number.isInteger(step.count) && step.count >= 1 ? step.count - Math.ceil(step.count / 2) : undefined,
        })] : [],
      ],
      args: source.comparisonArgNames.map(name => ({ name })),
    });
  }

  /** The template with the args the Rollout passes it: the canary's and stable's pod hash or Service, and the namespace. */
  private analysisRun(template: AnalysisTemplate, source: MetricSource, services: CanaryServices): AnalysisRunProps {
    // Resolved once, when the controller creates the AnalysisRun: v1.9.1 utils/analysis/factory.go,
    // BuildArgumentsForRolloutAnalysisRun (Latest → newRS's rollouts-pod-template-hash, Stable → stableRS's).
    const argValues: Record<string, ArgValue> = {
      [PRESET_ARGS.canaryHash]: ArgValue.canaryPodTemplateHash(),
      [PRESET_ARGS.stableHash]: ArgValue.stablePodTemplateHash(),
      [PRESET_ARGS.canaryService]: ArgValue.of(services.canary.name),
      [PRESET_ARGS.stableService]: ArgValue.of(services.stable.name),
      [PRESET_ARGS.namespace]: ArgValue.fieldRef('metadata.namespace'),
    };
    return { templates: [template], args: Object.fromEntries(source.comparisonArgNames.map(name => [name, argValues[name]])) };
  }

  /** The Rollout: each weight, then the analysis that gates it (the last step's own, when it has one). */
  private canaryRollout(props: CanaryServiceProps, services: CanaryServices, trafficRouter: TrafficRouter | undefined): Rollout {
    const defaults = CANARY_SERVICE_DEFAULTS;
    const weights = props.canaryWeights ?? defaults.canaryWeights;
    const last = this.analyses[this.analyses.length - 1];
    const runAnalysis = (index: number) => CanaryStep.analysis(index === weights.length - 1 ? last : this.analyses[0]);
    return new Rollout(this, 'Rollout', {
      metadata: {
        name: props.name,
        annotations: props.expectedRequestRate === undefined ? undefined : { [EXPECTED_RPS_ANNOTATION]: String(props.expectedRequestRate) },
      },
      replicas: props.autoscaling ? undefined : props.replicas ?? defaults.replicas,
      terminationGracePeriod: props.terminationGracePeriod ?? defaults.terminationGracePeriod,
      securityContext: { ensureNonRoot: true },
      strategy: RolloutStrategy.canary({
        stableService: services.stable,
        canaryService: services.canary,
        trafficRouter,
        steps: weights.flatMap((weight, index) => [CanaryStep.setWeight(weight), runAnalysis(index)]),
      }),
    });
  }

  /** The app's container: pinned, probed, locked down, and draining before it stops. */
  private container(props: CanaryServiceProps): kplus.Container {
    const defaults = CANARY_SERVICE_DEFAULTS;
    const container = this.rollout.addContainer({
      name: props.name,
      image: String(props.image),
      // The digest pins the image: pulling again could not change it.
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      ports: [{ number: props.port, name: PORT_NAME }],
      readiness: kplus.Probe.fromHttpGet(props.readinessPath ?? defaults.readinessPath, {
        port: props.port,
        periodSeconds: Duration.seconds(5),
        failureThreshold: 2,
      }),
      resources: props.resources ?? defaults.resources,
      securityContext: {
        ensureNonRoot: true,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: [kplus.Capability.ALL] },
        seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
      },
      // Endpoints are removed asynchronously: keep serving until load balancers stop sending traffic.
      lifecycle: { preStop: kplus.Handler.fromCommand(['sleep', String((props.preStopDelay ?? defaults.preStopDelay).toSeconds())]) },
    });
    // A read-only root filesystem still needs somewhere to write temporary files.
    container.mount('/tmp', kplus.Volume.fromEmptyDir(this, 'Tmp', 'tmp'));
    return container;
  }

  /** The container's environment: plain config from a ConfigMap, secrets by reference; returns the ConfigMap, if any. */
  private configuration(props: CanaryServiceProps, container: kplus.Container): Construct[] {
    const config = props.config ?? {};
    const configMap = this.configMap(props.name, config, props.notSecret ?? {});
    for (const name of Object.keys(config)) {
      container.env.addVariable(this.envName('config', name), kplus.EnvValue.fromConfigMap(configMap!, name));
    }
    for (const [name, ref] of Object.entries(props.secretEnv ?? {})) {
      const secret = kplus.Secret.fromSecretName(this, `Secret-${name}`, ref.name);
      container.env.addVariable(this.envName('secretEnv', name), kplus.EnvValue.fromSecretValue({ secret, key: ref.key }));
    }
    return configMap ? [configMap] : [];
  }

  /** What keeps a release honest and available: the disruption budget, and the PodMonitor the analysis reads. */
  private guards(props: CanaryServiceProps): Construct[] {
    const interval = props.scrapeInterval ?? CANARY_SERVICE_DEFAULTS.scrapeInterval;
    return [
      new PodDisruptionBudget(this, 'DisruptionBudget', { metadata: { name: props.name }, workload: this.rollout }),
      new PodMonitor(this, 'PodMonitor', { metadata: { name: props.name }, workload: this.rollout, portName: PORT_NAME, interval }),
    ];
  }

  /** The autoscaler, synced after the Rollout it scales. */
  private autoscaler(name: string, autoscaling: CanaryAutoscaling): void {
    const defaults = CANARY_SERVICE_DEFAULTS.autoscaling;
    const hpa = new kplus.HorizontalPodAutoscaler(this, 'Autoscaler', {
      metadata: { name },
      target: this.rollout,
      minReplicas: autoscaling.minReplicas ?? defaults.minReplicas,
      maxReplicas: autoscaling.maxReplicas,
      metrics: [kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(autoscaling.cpuUtilizationPercent ?? defaults.cpuUtilizationPercent))],
    });
    SyncWave.AFTER_WORKLOAD.applyTo(hpa);
  }

  /**
   * The ConfigMap of the service's plain configuration. Its name carries a hash of the content, so a
   * change makes a new pod template, which the Rollout releases as a canary. It records why each key
   * named like a secret is none, for whoever reads the namespace or `dist/`.
   */
  private configMap(
    serviceName: string, config: Readonly<Record<string, string>>, notSecret: Readonly<Record<string, string>>,
  ): kplus.ConfigMap | undefined {
    if (Object.keys(config).length === 0) return undefined;
    const hash = createHash('sha256').update(JSON.stringify(Object.entries(config).sort())).digest('hex').slice(0, 10);
    const reasons = Object.entries(notSecret).filter(([name]) => Object.hasOwn(config, name)).sort(([a], [b]) => a.localeCompare(b));
    const annotations = reasons.length ? { [NOT_SECRET_ANNOTATION]: JSON.stringify(Object.fromEntries(reasons)) } : undefined;
    return new kplus.ConfigMap(this, 'Config', { metadata: { name: `${serviceName}-config-${hash}`, annotations }, data: { ...config }, immutable: true });
  }

  private envName(field: string, name: string): string {
    if (!ENV_NAME.test(name)) {
      reportAt(this, `${field}.${name}`, name, 'is not a valid environment variable name', 'use letters, digits and underscores, starting with a letter or underscore');
    }
    return name;
  }
}

/** The three Services of a canary service. */
interface CanaryServices {
  readonly stable: kplus.Service;
  readonly canary: kplus.Service;
  /** Stable, canary and the entry Service. */
  readonly all: readonly kplus.Service[];
}

/** A Secret's name: a DNS subdomain. A Secret's key: letters, digits, '-', '_' and '.'. */
const SECRET_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

/** A problem with one setting of a {@link CanaryService}, named by its field; whoever reports it says where the setting was written. */
export type SettingProblem = Omit<Problem, 'at'>;

/**
 * Every value of `props` that Kubernetes, Argo Rollouts or Prometheus would reject or misread, or
 * that would let a release drop requests or pass unjudged. A fleet model calls it on each layer of
 * settings, to report a problem where the user wrote it.
 */
export function canaryServiceSettingProblems(props: Partial<CanaryServiceProps>): SettingProblem[] {
  const problems: SettingProblem[] = [];
  const problem = (field: string, value: unknown, rule: string, fix: string) => problems.push({ field, value, rule, fix });
  const isInt = (n: number | undefined, min: number) => n === undefined || (Number.isInteger(n) && n >= min);
  if (props.minSuccessRate !== undefined && !(props.minSuccessRate > 0 && props.minSuccessRate <= 1)) {
    problem('minSuccessRate', props.minSuccessRate, 'must be above 0 and at most 1: below, every canary passes; above, every one fails', 'use a share such as 0.99');
  }
  const weights = props.canaryWeights ?? [];
  weights.forEach((w, i) => {
    if (!Number.isInteger(w) || w < 1 || w > 100) problem(`canaryWeights[${i}]`, w, 'must be an integer from 1 to 100', 'use percentages such as [10, 50]');
    else if (i > 0 && w <= weights[i - 1]) problem(`canaryWeights[${i}]`, w, `must be above the weight before it (${weights[i - 1]})`, 'list the weights in increasing order, each once');
  });
  if (props.canaryWeights && weights.length === 0) problem('canaryWeights', [], 'a canary needs at least one weight', 'use e.g. [10, 50]');
  if (!isInt(props.replicas, 2)) {
    problem('replicas', props.replicas, 'must be an integer of at least 2: with one pod, draining its node or a disruption takes the service down', 'run at least 2 replicas');
  }
  const scaling = props.autoscaling;
  if (scaling) {
    if (!isInt(scaling.minReplicas, 2)) problem('autoscaling.minReplicas', scaling.minReplicas, 'must be an integer of at least 2, so one pod can always go', 'keep at least 2');
    if (!isInt(scaling.maxReplicas, 1) || scaling.maxReplicas < (scaling.minReplicas ?? CANARY_SERVICE_DEFAULTS.autoscaling.minReplicas)) {
      problem('autoscaling.maxReplicas', scaling.maxReplicas, `must be an integer of at least minReplicas (${scaling.minReplicas ?? CANARY_SERVICE_DEFAULTS.autoscaling.minReplicas})`, 'raise maxReplicas');
    }
    if (!isInt(scaling.cpuUtilizationPercent, 1)) problem('autoscaling.cpuUtilizationPercent', scaling.cpuUtilizationPercent, 'must be a positive integer', 'use a target such as 70');
  }
  const cpu = props.resources?.cpu;
  if (cpu?.request && cpu.limit && millicores(cpu.limit.amount) < millicores(cpu.request.amount)) {
    problem('resources.cpu.limit', cpu.limit.amount, `must not be below the request (${cpu.request.amount}), which Kubernetes rejects`, 'raise the limit or lower the request');
  }
  const memory = props.resources?.memory;
  if (memory?.request && memory.limit && memory.limit.toMebibytes() < memory.request.toMebibytes()) {
    problem('resources.memory.limit', `${memory.limit.toMebibytes()}Mi`, `must not be below the request (${memory.request.toMebibytes()}Mi), which Kubernetes rejects`, 'raise the limit or lower the request');
  }
  if (props.maxLatency !== undefined && !(props.maxLatency.toMilliseconds() > 0)) {
    problem('maxLatency', `${props.maxLatency.toMilliseconds()}ms`, 'must be positive', 'use e.g. Duration.millis(500)');
  }
  if (props.expectedRequestRate !== undefined && !(Number.isFinite(props.expectedRequestRate) && props.expectedRequestRate >= 0)) {
    problem('expectedRequestRate', props.expectedRequestRate, 'must be a number of requests per second, zero or more', 'declare the traffic at full weight, e.g. 20');
  }
  const readiness = props.readinessPath;
  if (readiness !== undefined && !/^\/[\x21-\x7e]*$/.test(readiness)) {
    problem('readinessPath', readiness, "must start with '/' and hold no spaces or control characters", "use e.g. '/healthz'");
  }
  if (props.prometheusAddress !== undefined && !/^https?:\/\/[^\s/]+(\/\S*)?$/.test(props.prometheusAddress)) {
    problem('prometheusAddress', props.prometheusAddress, 'must be an http(s) url', "use e.g. 'http://prometheus-operated.monitoring.svc:9090'");
  }
  for (const [name, ref] of Object.entries(props.secretEnv ?? {})) {
    if (!SECRET_NAME.test(ref.name) || ref.name.length > 253) problem(`secretEnv.${name}.name`, ref.name, 'must be a Secret name: a lowercase dns subdomain', "name the Secret, e.g. 'api-database'");
    if (!SECRET_KEY.test(ref.key)) problem(`secretEnv.${name}.key`, ref.key, "must be a Secret key: letters, digits, '-', '_' and '.'", "name the key, e.g. 'url'");
    if (props.config && name in props.config) problem(`secretEnv.${name}`, name, 'is also set in config, and one would silently win', 'set each variable in one place');
  }
  const config = props.config ?? {};
  const notSecret = props.notSecret ?? {};
  for (const [name, value] of Object.entries(config)) {
    // A ConfigMap is committed to dist/ in plain text and readable by anyone who can read the namespace.
    const byName = SECRET_KEY_NAME.test(name) && !Object.hasOwn(notSecret, name);
    const secret = byName ? 'its name' : SECRET_VALUE.some(pattern => pattern.test(value)) ? 'its value' : undefined;
    if (secret) {
      const store = `store it in a Secret and reference it with secretEnv: { ${name}: { name: '<secret>', key: '<key>' } }`;
      problem(`config.${name}`, '<redacted>', `looks like a secret by ${secret}, and config is written in plain text to a ConfigMap in dist/`,
        byName ? `${store}, or, if it holds none, say why with notSecret: { ${name}: '<why it is public>' }` : store);
    }
  }
  for (const [name, reason] of Object.entries(notSecret)) {
    if (typeof reason !== 'string' || reason.trim() === '') {
      problem(`notSecret.${name}`, reason, 'must say why the value is not a secret, which the ConfigMap records', `write the reason, e.g. notSecret: { ${name}: 'the issuer url, public' }`);
    } else if (!Object.hasOwn(config, name)) {
      problem(`notSecret.${name}`, name, 'is not a key of the config beside it, so it lets nothing through', 'set it in the same settings as the config key it names, or remove it');
    } else if (!SECRET_KEY_NAME.test(name)) {
      problem(`notSecret.${name}`, name, 'is not named like a secret, so it needs no opt-out', 'remove it');
    }
  }
  return problems;
}

/**
 * The comparison's options for `props` with `measurements` comparison measurements in one release:
 * Bonferroni over all of them (the latency metric is a fixed bound outside this budget), and a
 * tolerance of 1/20 of the error budget.
 */
function comparisonSettings(props: Partial<CanaryServiceProps>, measurements: number): ComparisonOptions {
  const defaults = CANARY_SERVICE_DEFAULTS;
  const minSuccessRate = props.minSuccessRate ?? defaults.minSuccessRate;
  return {
    alpha: props.falseAbortBudget ?? defaults.falseAbortBudget,
    measurements: Math.max(1, measurements),
    allowance: Math.max(1e-6, +((1 - minSuccessRate) * TOLERANCE_SHARE_OF_ERROR_BUDGET).toPrecision(6)),
  };
}

/**
 * The fewest measurements of the last analysed step, from `minCount`, and then the shortest window (in
 * whole scrapes, at most the step), with which its last measurement catches a canary
 * {@link DETECTABLE_EFFECT} above a stable at {@link BASELINE_ERROR_RATE} with 80% power at the declared
 * rate (#24, item 5). Every measurement more is one more in the Bonferroni budget, so the count is
 * searched, not solved; the window's first scrape only creates the canary's series, as the plan
 * counts it (delivery/plan, expectedWindow). Undefined when no step up to {@link MAX_STEP_S} reaches it.
 */
function detectionTiming(
  props: Partial<CanaryServiceProps>, rate: number, initialDelayS: number, intervalS: number, scrapeS: number, minCount: number,
): { readonly count: number; readonly windowS: number } | undefined {
  const weights = props.canaryWeights ?? CANARY_SERVICE_DEFAULTS.canaryWeights;
  const share = Math.max(...weights) / 100;
  const otherMeasurements = (weights.length - 1) * minCount;
  for (let count = minCount; initialDelayS + (count - 1) * intervalS <= MAX_STEP_S; count++) {
    const options = resolveComparison(comparisonSettings(props, otherMeasurements + count));
    const zCrit = criticalZ(options.alpha, options.measurements);
    const stepS = initialDelayS + (count - 1) * intervalS;
    const catches = (windowS: number) => {
      const seenS = Math.min(windowS, stepS) - scrapeS;
      const window = {
        canaryRequests: Math.floor(rate * share * seenS), stableRequests: Math.floor(rate * (1 - share) * seenS), stableRate: BASELINE_ERROR_RATE,
      };
      return minimumDetectableRate(window, options, zCrit) <= BASELINE_ERROR_RATE + DETECTABLE_EFFECT;
    };
    const longest = Math.ceil(stepS / scrapeS);
    if (!catches(longest * scrapeS)) continue;
    let low = 1;
    let high = longest;
    while (low < high) {
      const middle = Math.floor((low + high) / 2);
      if (catches(middle * scrapeS)) high = middle;
      else low = middle + 1;
    }
    return { count, windowS: high * scrapeS };
  }
  return undefined;
}

/** When and over what window an analysis step measures, derived from the scrape it queries and the declared rate. */
export interface AnalysisTiming {
  /** The scrape interval of the metrics the analysis queries. */
  readonly scrape: Duration;
  readonly initialDelay: Duration;
  readonly interval: Duration;
  /** The comparison's counting window. */
  readonly window: Duration;
  /** The latency metric's rate window: as before #24, the analysis window or the interval. */
  readonly latencyWindow: Duration;
  /** Measurements per analysed step. */
  readonly count: number;
  /**
   * The last analysed step's own count and comparison window, when the declared request rate needs
   * it to measure longer than the others to catch {@link DETECTABLE_EFFECT} (#24, item 5).
   * @default - the same as every other step
   */
  readonly final?: { readonly count: number; readonly window: Duration };
  /** Combinations that cannot work. */
  readonly problems: SettingProblem[];
}

/**
 * The analysis timing of `props` when the analysis queries `source`. The first measurement waits two
 * scrapes of the queried metrics and 5 s (a counter needs two samples after the canary's first
 * requests); the window spans at least four of those scrapes, the interval at least one, and at the
 * declared rate the first step's window holds twice the data floor, or the rate is refused with the
 * window it would need; the last step measures longer where the declared rate needs it to catch
 * {@link DETECTABLE_EFFECT} (`final`).
 */
export function analysisTiming(props: Partial<CanaryServiceProps>, source: MetricSource): AnalysisTiming {
  const defaults = CANARY_SERVICE_DEFAULTS;
  const problems: SettingProblem[] = [];
  const appScrape = props.scrapeInterval ?? defaults.scrapeInterval;
  const scrape = source === MetricSource.APP ? appScrape : props.routerScrapeInterval ?? appScrape;
  // Milliseconds: a fractional duration is the metric's own problem to report (Metric.durationProblems), not a throw here.
  const secondsOf = (d: Duration) => d.toMilliseconds() / 1000;
  const scrapeS = secondsOf(scrape);
  const interval = props.analysisInterval ?? defaults.analysisInterval;
  const scrapeField = source === MetricSource.APP || props.routerScrapeInterval === undefined ? 'scrapeInterval' : 'routerScrapeInterval';
  if (secondsOf(interval) < scrapeS) {
    problems.push({ field: 'analysisInterval', value: `${secondsOf(interval)}s`, rule: `must be at least the ${scrapeField} of the queried metrics (${scrapeS}s): measurements in between see no new sample`, fix: `raise analysisInterval to ${scrapeS}s or more` });
  }
  const weights = props.canaryWeights ?? defaults.canaryWeights;
  const rate = props.expectedRequestRate;
  let dataS = 0;
  if (rate !== undefined && rate > 0 && weights.length > 0) {
    const canaryRps = rate * Math.min(...weights) / 100;
    dataS = Math.ceil(WINDOW_REQUESTS / canaryRps / scrapeS) * scrapeS;
    if (dataS > MAX_WINDOW_S && props.analysisWindow === undefined) {
      problems.push({ field: 'expectedRequestRate', value: rate,
        rule: `gives the first canary step ${+canaryRps.toFixed(3)} requests/s, which needs a ${dataS}s window to see ${WINDOW_REQUESTS} requests, above the ${MAX_WINDOW_S}s this pattern derives`,
        fix: `raise the first canary weight, or set analysisWindow to ${dataS}s and analysisCount so that a step lasts that long` });
    }
  }
  const initialDelayS = 2 * scrapeS + FIRST_MEASUREMENT_MARGIN_S;
  const count = props.analysisCount ?? defaults.analysisCount;
  const derived = Math.ceil(Math.max(secondsOf(interval), 4 * scrapeS, Math.min(dataS, MAX_WINDOW_S)));
  const window = props.analysisWindow ?? Duration.seconds(derived);
  if (secondsOf(window) < 4 * scrapeS) {
    problems.push({ field: 'analysisWindow', value: `${secondsOf(window)}s`, rule: `must span at least four scrapes of the queried metrics (${4 * scrapeS}s at ${scrapeS}s)`, fix: `raise analysisWindow to ${4 * scrapeS}s or more` });
  }
  // An explicit analysisCount or analysisWindow opts out: the plan then states what the release can catch.
  const final = rate !== undefined && rate > 0 && weights.length > 0 && props.analysisCount === undefined && props.analysisWindow === undefined
    && secondsOf(interval) >= scrapeS && Number.isInteger(count) && count >= 1
    ? lastStepTiming(props, { rate, initialDelayS, intervalS: secondsOf(interval), scrapeS, count, windowS: derived }, problems)
    : undefined;
  const latencyWindow = props.analysisWindow ?? interval;
  const timing = { scrape, initialDelay: Duration.seconds(initialDelayS), interval, window, latencyWindow, count, problems };
  // With one weight its step is the last: one template, at the last step's timing.
  if (final && weights.length === 1) return { ...timing, ...final };
  return { ...timing, final };
}

/**
 * The last step's own count and window when the declared rate needs them longer than the others'
 * ({@link detectionTiming}), undefined when the others' suffice; a rate too low for any step up to
 * {@link MAX_STEP_S} is added to `problems`.
 */
function lastStepTiming(
  props: Partial<CanaryServiceProps>,
  every: {
    readonly rate: number; readonly initialDelayS: number; readonly intervalS: number; readonly scrapeS: number;
    readonly count: number; readonly windowS: number;
  },
  problems: SettingProblem[],
): AnalysisTiming['final'] {
  const needed = detectionTiming(props, every.rate, every.initialDelayS, every.intervalS, every.scrapeS, every.count);
  if (!needed) {
    const weights = props.canaryWeights ?? CANARY_SERVICE_DEFAULTS.canaryWeights;
    problems.push({ field: 'expectedRequestRate', value: every.rate,
      rule: `is too low for the last canary step (${Math.max(...weights)}%) to catch an error rate ${DETECTABLE_EFFECT * 100} points above stable's within a ${MAX_STEP_S / 60}-minute step`,
      fix: 'raise the last canary weight, or set analysisCount (and analysisWindow) to accept what `npm run plan` says such steps catch' });
    return undefined;
  }
  if (needed.count === every.count && needed.windowS <= every.windowS) return undefined;
  return { count: needed.count, window: Duration.seconds(Math.max(every.windowS, needed.windowS)) };
}

/** CPU in millicores, from kplus's `250m` or `2` form. */
function millicores(amount: string): number {
  return amount.endsWith('m') ? Number(amount.slice(0, -1)) : Number(amount) * 1000;
}
