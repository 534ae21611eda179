import { Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { MetricMatch } from '../../../lib/analysis';
import { validationProblems } from '../../../lib/errors';
import { ArgValue, BlueGreenStrategyProps, Rollout, RolloutStrategy } from '../../../lib/rollout';
import { rolloutFixture, FixtureParts } from './fixture';

function blueGreen(props: (p: FixtureParts) => Partial<BlueGreenStrategyProps>) {
  // The fixture's stable Service plays the active one and its canary Service the preview.
  return rolloutFixture(p => RolloutStrategy.blueGreen({ activeService: p.stable, previewService: p.canary, ...props(p) }));
}

describe('BlueGreenStrategy', () => {
  test('GIVEN the upstream helm blue-green example, auto-promoted without analysis, with acceptUnmeasured WHEN synthesized THEN the strategy matches it field by field and the reason is on the Rollout', () => {
    // argo-rollouts v1.9.1 examples/helm-blue-green/templates/rollout.yaml, rendered with the release name 'guestbook':
    //   strategy:
    //     blueGreen:
    //       activeService: {{ template "helm-guestbook.fullname" . }}
    //       previewService: {{ template "helm-guestbook.fullname" . }}-preview
    // autoPromotionEnabled is omitted: "If not specified, the default value is true" (pkg/apis/rollouts/v1alpha1/types.go).
    const app = Testing.app();
    const chart = new Chart(app, 'test', { namespace: 'ns' });
    const active = new kplus.Service(chart, 'Active', { metadata: { name: 'guestbook' }, ports: [{ port: 80, targetPort: 80 }] });
    const preview = new kplus.Service(chart, 'Preview', { metadata: { name: 'guestbook-preview' }, ports: [{ port: 80, targetPort: 80 }] });
    const rollout = new Rollout(chart, 'Rollout', {
      metadata: { name: 'guestbook' },
      selector: { app: 'helm-guestbook', release: 'guestbook' },
      strategy: RolloutStrategy.blueGreen({ activeService: active, previewService: preview, acceptUnmeasured: 'internal tool; smoke-tested by hand on the preview service' }),
    });
    rollout.addContainer({ name: 'helm-guestbook', image: 'gcr.io/heptio-images/ks-guestbook-demo:0.1', portNumber: 80, securityContext: { ensureNonRoot: false } });
    active.select(rollout);
    preview.select(rollout);
    expect(validationProblems(app)).toEqual([]);
    const json = Testing.synth(chart).find(o => o.kind === 'Rollout');
    expect(json.spec.strategy).toEqual({ blueGreen: { activeService: 'guestbook', previewService: 'guestbook-preview' } });
    expect(json.metadata.annotations).toEqual({ 'infra-delivery.io/accept-unmeasured': 'internal tool; smoke-tested by hand on the preview service' });
  });

  test('GIVEN a blue-green strategy whose services were cast away WHEN validated and synthesized THEN each is a problem, not a TypeError', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test', { namespace: 'ns' });
    const props = { autoPromotion: false } as unknown as BlueGreenStrategyProps;
    const rollout = new Rollout(chart, 'Rollout', { metadata: { name: 'app' }, strategy: RolloutStrategy.blueGreen(props) });
    rollout.addContainer({ name: 'app', image: 'ghcr.io/acme/app@sha256:' + 'a'.repeat(64), portNumber: 8080 });
    expect(validationProblems(app)).toEqual([
      "test/Rollout: 'activeService' is unset: is required: it is the service the controller points at the new version on promotion; pass the service clients call",
      "test/Rollout: 'previewService' is unset: is required here, though the controller treats it as optional: without it the new version cannot be reached or analysed before promotion; pass a service for the preview pods, e.g. <name>-preview",
    ]);
    // Synthesis reports the same problems, never a TypeError.
    expect(() => Testing.synth(chart)).toThrow(/'activeService' is unset/);
  });

  test('GIVEN pre- and post-promotion analysis WHEN synthesized THEN both gate the switch and the old version stays for a switch back', () => {
    const fixture = blueGreen(p => ({
      prePromotionAnalysis: { templates: [p.template], args: { hash: ArgValue.canaryPodTemplateHash() } },
      postPromotionAnalysis: { templates: [p.template], args: { hash: ArgValue.canaryPodTemplateHash() }, dryRun: [MetricMatch.named('m')] },
      autoPromotionDelay: Duration.minutes(2),
      scaleDownDelay: Duration.minutes(5),
      previewReplicaCount: 1,
    }));
    expect(validationProblems(fixture.app)).toEqual([]);
    const strategy = fixture.rolloutJson().spec.strategy;
    expect(strategy.canary).toBeUndefined();
    expect(strategy.blueGreen).toEqual({
      activeService: 'app-stable',
      previewService: 'app-canary',
      autoPromotionSeconds: 120,
      prePromotionAnalysis: { templates: [{ templateName: 'rate' }], args: [{ name: 'hash', valueFrom: { podTemplateHashValue: 'Latest' } }] },
      postPromotionAnalysis: { templates: [{ templateName: 'rate' }], args: [{ name: 'hash', valueFrom: { podTemplateHashValue: 'Latest' } }], dryRun: [{ metricName: '^m$' }] },
      scaleDownDelaySeconds: 300,
      previewReplicaCount: 1,
    });
    expect(fixture.rollout.controllerOwnedFields()).toEqual([]);
    expect(fixture.rolloutJson()).toMatchSnapshot();
  });

  test.each<[string, (p: FixtureParts) => Partial<BlueGreenStrategyProps>, string[]]>([
    ['auto-promotion with no analysis', () => ({}),
      ["test/Rollout: 'autoPromotion' is true: promotes the new version to all traffic with no analysis measuring it; add prePromotionAnalysis or postPromotionAnalysis, set autoPromotion: false, or acceptUnmeasured with the reason"]],
    ['an empty opt-out reason', () => ({ acceptUnmeasured: ' ' }),
      ["test/Rollout: 'acceptUnmeasured' is ' ': must give the reason an unmeasured promotion is accepted; write the reason, e.g. 'internal tool; smoke-tested by hand in staging'"]],
    ['an opt-out of a manual promotion', () => ({ autoPromotion: false, acceptUnmeasured: 'why' }),
      ["test/Rollout: 'acceptUnmeasured' is 'why': accepts an unmeasured promotion but the promotion is analysed or manual; remove acceptUnmeasured"]],
    ['the same active and preview Service', p => ({ previewService: p.stable, autoPromotion: false }),
      ["test/Rollout: 'previewService' is 'app-stable': must differ from activeService: the controller rewrites both selectors; use two Services, e.g. <name> and <name>-preview"]],
    ['a promotion delay without auto-promotion', () => ({ autoPromotion: false, autoPromotionDelay: Duration.minutes(1) }),
      ["test/Rollout: 'autoPromotionDelay' is '60s': has no effect when autoPromotion is false; remove autoPromotionDelay or enable autoPromotion"]],
    ['a preview of zero pods', () => ({ autoPromotion: false, previewReplicaCount: 0 }),
      ["test/Rollout: 'previewReplicaCount' is 0: must be an integer of at least 1; remove it to preview with the full replica count"]],
    ['an analysis with an unknown dry-run metric', p => ({ prePromotionAnalysis: { templates: [p.template], args: { hash: ArgValue.of('x') }, dryRun: [MetricMatch.named('latency')] } }),
      ["test/Rollout: 'prePromotionAnalysis.dryRun[0]' is 'latency': matches no metric of the templates, which fails the analysis run; match one of: m"]],
  ])('GIVEN %s WHEN validated THEN the problem names the field, value and fix', (_, props, messages) => {
    expect(validationProblems(blueGreen(props).app)).toEqual(messages);
  });
});
