import { Chart, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AnalysisTemplate, PrometheusMetric, Threshold } from '../../../lib/analysis';
import { ArgValue, CanaryStep, IRolloutStrategy, Rollout, RolloutProps } from '../../../lib/rollout';

/** What a test strategy is built from. */
export interface FixtureParts {
  readonly chart: Chart;
  readonly template: AnalysisTemplate;
  readonly stable: kplus.Service;
  readonly canary: kplus.Service;
  /** An analysis step running `template` with its one arg filled. */
  readonly analysis: CanaryStep;
}

/**
 * A chart in namespace `ns` with an AnalysisTemplate `rate` (one required arg, `hash`), a stable and
 * a canary Service, and a Rollout `app` with one container, using the strategy `strategy` builds.
 */
export function rolloutFixture(strategy: (parts: FixtureParts) => IRolloutStrategy, options: Pick<RolloutProps, 'replicas' | 'progressDeadlineAbort'> = {}) {
  const app = Testing.app();
  const chart = new Chart(app, 'test', { namespace: 'ns' });
  const template = new AnalysisTemplate(chart, 'Analysis', {
    metadata: { name: 'rate' },
    metrics: [new PrometheusMetric({ name: 'm', address: 'http://p:9090', query: 'sum(up{hash="{{args.hash}}"})', threshold: Threshold.atLeast(1) })],
    args: [{ name: 'hash' }],
  });
  const port = { port: 80, targetPort: 8080 };
  const stable = new kplus.Service(chart, 'Stable', { metadata: { name: 'app-stable' }, ports: [port] });
  const canary = new kplus.Service(chart, 'Canary', { metadata: { name: 'app-canary' }, ports: [port] });
  const analysis = CanaryStep.analysis({ templates: [template], args: { hash: ArgValue.canaryPodTemplateHash() } });
  const parts = { chart, template, stable, canary, analysis };
  const rollout = new Rollout(chart, 'Rollout', { metadata: { name: 'app' }, ...options, strategy: strategy(parts) });
  rollout.addContainer({
    name: 'app',
    image: 'ghcr.io/acme/app@sha256:' + 'a'.repeat(64),
    portNumber: 8080,
    readiness: kplus.Probe.fromHttpGet('/healthz', { port: 8080 }),
    resources: { cpu: { request: kplus.Cpu.millis(100) }, memory: { request: Size.mebibytes(128), limit: Size.mebibytes(128) } },
  });
  stable.select(rollout);
  canary.select(rollout);
  const synth = () => Testing.synth(chart);
  return { app, ...parts, rollout, synth, rolloutJson: () => synth().find(o => o.kind === 'Rollout') };
}
