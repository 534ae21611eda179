import { Duration } from 'cdk8s';
import { MetricMatch } from '../../../lib/analysis';
import { validationProblems } from '../../../lib/errors';
import { ArgValue, BlueGreenStrategyProps, RolloutStrategy } from '../../../lib/rollout';
import { rolloutFixture, FixtureParts } from './fixture';

function blueGreen(props: (p: FixtureParts) => Partial<BlueGreenStrategyProps>) {
  // The fixture's stable Service plays the active one and its canary Service the preview.
  return rolloutFixture(p => RolloutStrategy.blueGreen({ activeService: p.stable, previewService: p.canary, ...props(p) }));
}

describe('BlueGreenStrategy', () => {
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
      autoPromotionEnabled: true,
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
      ["test/Rollout: 'autoPromotion' is true: promotes the new version to all traffic with no analysis measuring it; add prePromotionAnalysis or postPromotionAnalysis, or set autoPromotion: false"]],
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
