import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { validationProblems } from '../../../lib/errors';
import { ACCEPT_UNMEASURED_ANNOTATION, AntiAffinity, ArgValue, CanaryStep, CanaryStrategyProps, DestinationRule, HttpRoute, RolloutStrategy, StringMatch, TrafficRouter, VirtualService } from '../../../lib/rollout';
import { rolloutFixture, FixtureParts } from './fixture';

const gatewayRouter = (p: FixtureParts) => TrafficRouter.gatewayApi(new HttpRoute(p.chart, 'Route', {
  metadata: { name: 'app' }, gateway: { name: 'public' }, stableService: p.stable, canaryService: p.canary, port: 80,
}));
const istioRouter = (p: FixtureParts) => TrafficRouter.istio(new VirtualService(p.chart, 'Vs', {
  metadata: { name: 'app' }, hosts: ['app'], stableService: p.stable, canaryService: p.canary, port: 80,
}));

function canary(props: (p: FixtureParts) => Partial<CanaryStrategyProps>, options: { replicas?: number } = {}) {
  return rolloutFixture(p => RolloutStrategy.canary({
    stableService: p.stable,
    canaryService: p.canary,
    steps: [CanaryStep.setWeight(10), p.analysis],
    ...props(p),
  }), options);
}

describe('CanaryStrategy', () => {
  test('GIVEN a Gateway API router and header routes WHEN synthesized THEN the plugin and the managed routes are configured', () => {
    const fixture = canary(p => ({
      trafficRouter: gatewayRouter(p),
      steps: [
        CanaryStep.setHeaderRoute({ name: 'testers', match: [{ headerName: 'x-canary', value: StringMatch.exact('yes') }] }),
        CanaryStep.setWeight(10), p.analysis, CanaryStep.setHeaderRoute({ name: 'testers' }),
      ],
      maxTrafficWeight: 1000,
    }));
    expect(validationProblems(fixture.app)).toEqual([]);
    const strategy = fixture.rolloutJson().spec.strategy.canary;
    expect(strategy.trafficRouting).toEqual({
      plugins: { 'argoproj-labs/gatewayAPI': { httpRoute: 'app', disableInProgressLabel: true } },
      maxTrafficWeight: 1000,
      managedRoutes: [{ name: 'testers' }],
    });
    expect(strategy.steps[0]).toEqual({ setHeaderRoute: { name: 'testers', match: [{ headerName: 'x-canary', headerValue: { exact: 'yes' } }] } });
    // Header routes add rules to the route, so Argo CD must leave all of its rules alone.
    expect(fixture.rollout.controllerOwnedFields()).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'app', jsonPointers: ['/spec/rules'] }]);
    expect(fixture.rolloutJson()).toMatchSnapshot();
  });

  test('GIVEN background analysis from step 1 WHEN synthesized THEN it renders with startingStep and measures the weights from there', () => {
    const fixture = canary(p => ({
      steps: [CanaryStep.setWeight(10), CanaryStep.pause(Duration.minutes(5)), CanaryStep.setWeight(50), CanaryStep.pause(Duration.minutes(5))],
      backgroundAnalysis: { templates: [p.template], args: { hash: ArgValue.canaryPodTemplateHash() }, startingStep: 0 },
    }));
    expect(validationProblems(fixture.app)).toEqual([]);
    expect(fixture.rolloutJson().spec.strategy.canary.analysis).toEqual({
      templates: [{ templateName: 'rate' }],
      args: [{ name: 'hash', valueFrom: { podTemplateHashValue: 'Latest' } }],
      startingStep: 0,
    });
  });

  test('GIVEN router-only settings and a router WHEN synthesized THEN they render in seconds with the metadata and anti-affinity', () => {
    const fixture = canary(p => ({
      trafficRouter: istioRouter(p),
      abortScaleDownDelay: Duration.seconds(60),
      dynamicStableScale: true,
      canaryMetadata: { labels: { role: 'canary' } },
      stableMetadata: { labels: { role: 'stable' } },
      antiAffinity: AntiAffinity.preferred(100),
    }));
    expect(validationProblems(fixture.app)).toEqual([]);
    expect(fixture.rolloutJson().spec.strategy.canary).toMatchObject({
      abortScaleDownDelaySeconds: 60,
      dynamicStableScale: true,
      canaryMetadata: { labels: { role: 'canary' } },
      stableMetadata: { labels: { role: 'stable' } },
      antiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: { weight: 100 } },
      trafficRouting: { istio: { virtualService: { name: 'app', routes: ['primary'] } } },
    });
  });

  test.each<[string, (p: FixtureParts) => Partial<CanaryStrategyProps>, string[]]>([
    ['scaleDownDelay without a router', () => ({ scaleDownDelay: Duration.seconds(30) }),
      ["test/Rollout: 'scaleDownDelay' is '30s': works only with a traffic router: without one, pods are the traffic split; remove scaleDownDelay or set a trafficRouter"]],
    ['dynamicStableScale without a router', () => ({ dynamicStableScale: true }),
      ["test/Rollout: 'dynamicStableScale' is true: works only with a traffic router: without one, pods are the traffic split; remove dynamicStableScale or set a trafficRouter"]],
    ['dynamicStableScale with scaleDownDelay', p => ({ trafficRouter: istioRouter(p), dynamicStableScale: true, scaleDownDelay: Duration.seconds(30) }),
      ["test/Rollout: 'dynamicStableScale' is true: cannot be combined with scaleDownDelay; remove one of them"]],
    ['maxTrafficWeight with Istio', p => ({ trafficRouter: istioRouter(p), maxTrafficWeight: 1000 }),
      ["test/Rollout: 'maxTrafficWeight' is 1000: works only with the gateway api or ingress-nginx router; remove maxTrafficWeight or use one of those routers"]],
    ['a weight above maxTrafficWeight', p => ({ trafficRouter: gatewayRouter(p), maxTrafficWeight: 50, steps: [CanaryStep.setWeight(60), p.analysis] }),
      ["test/Rollout: 'steps[0].setWeight' is 60: must be an integer from 0 to 50; use a percentage such as 10"]],
    ['a startingStep past the steps', p => ({ backgroundAnalysis: { templates: [p.template], args: { hash: ArgValue.of('x') }, startingStep: 2 } }),
      ["test/Rollout: 'analysis.startingStep' is 2: must be the index of a step, from 0 to 1; start at the first setWeight step"]],
    ['no steps', () => ({ steps: [] }),
      ["test/Rollout: 'steps' is []: a canary without steps sends all traffic to the new version at once, unmeasured; add CanaryStep.setWeight(10) and CanaryStep.analysis(...), or acceptUnmeasured with the reason"]],
    ['a blank acceptUnmeasured reason', () => ({ steps: [CanaryStep.setWeight(10)], acceptUnmeasured: ' ' }),
      ["test/Rollout: 'acceptUnmeasured' is ' ': must give the reason ungated traffic is accepted; write the reason, e.g. 'too few requests to measure; watched on the dashboard'"]],
    ['acceptUnmeasured where every weight is gated', () => ({ acceptUnmeasured: 'quiet service' }),
      ["test/Rollout: 'acceptUnmeasured' is 'quiet service': accepts ungated traffic but every weight is gated; remove acceptUnmeasured"]],
    ['a preferred anti-affinity weight of 0', () => ({ antiAffinity: AntiAffinity.preferred(0) }),
      ["test/Rollout: 'antiAffinity.weight' is 0: must be an integer from 1 to 100; use a weight such as 100"]],
    ['a route to other Services than the strategy\'s', p => ({
      trafficRouter: TrafficRouter.gatewayApi(new HttpRoute(p.chart, 'Other', { gateway: { name: 'g' }, stableService: p.canary, canaryService: p.canary, port: 80 })),
    }), ["test/Rollout: 'trafficRouting.httpRoute' is 'app-canary': routes stable traffic to another service than the strategy's stableService 'app-stable'; create the httpRoute with the strategy's stableService"]],
    ['no surge and no unavailability', () => ({ maxSurge: kplus.PercentOrAbsolute.absolute(0) }),
      ["test/Rollout: 'maxSurge' is 0: maxSurge and maxUnavailable cannot both be zero, or no pod can ever be replaced; keep the default maxSurge of 25%"]],
  ])('GIVEN %s WHEN validated THEN the problem names the field, value and fix', (_, props, messages) => {
    expect(validationProblems(canary(props).app)).toEqual(messages);
  });

  test('GIVEN background analysis starting after an unmeasured weight WHEN validated THEN that weight is reported', () => {
    const fixture = canary(p => ({
      steps: [CanaryStep.setWeight(10), CanaryStep.pause(Duration.minutes(1)), CanaryStep.setWeight(50), CanaryStep.pause(Duration.minutes(1))],
      backgroundAnalysis: { templates: [p.template], args: { hash: ArgValue.of('x') }, startingStep: 2 },
    }));
    expect(validationProblems(fixture.app)).toEqual([
      "test/Rollout: 'steps[0].setWeight' is 10: the canary takes traffic here but no analysis or manual pause gates it before the next weight or the promotion; add CanaryStep.analysis(...) or CanaryStep.pause() after steps[0], background analysis from step 0, or acceptUnmeasured with the reason",
    ]);
  });

  test('GIVEN weights gated by a manual pause WHEN validated and synthesized THEN they are accepted and the pause has no duration', () => {
    const fixture = canary(() => ({ steps: [CanaryStep.setWeight(10), CanaryStep.pause(), CanaryStep.setWeight(50), CanaryStep.pause()] }));
    expect(validationProblems(fixture.app)).toEqual([]);
    expect(fixture.rolloutJson().spec.strategy.canary.steps).toEqual([{ setWeight: 10 }, { pause: {} }, { setWeight: 50 }, { pause: {} }]);
  });

  test('GIVEN a timed pause after the manual one WHEN validated THEN only the weight the timed pause follows is reported', () => {
    const steps = [CanaryStep.setWeight(10), CanaryStep.pause(), CanaryStep.setWeight(50), CanaryStep.pause(Duration.minutes(5))];
    const fixture = canary(() => ({ steps }));
    expect(validationProblems(fixture.app)).toEqual([
      expect.stringContaining("'steps[2].setWeight' is 50: the canary takes traffic here but no analysis or manual pause gates it"),
    ]);
  });

  test('GIVEN ungated weights accepted with a reason WHEN synthesized THEN they pass and the reason is an annotation on the Rollout', () => {
    const fixture = canary(() => ({ steps: [CanaryStep.setWeight(10), CanaryStep.pause(Duration.minutes(5))], acceptUnmeasured: 'too few requests to measure' }));
    expect(validationProblems(fixture.app)).toEqual([]);
    expect(fixture.rolloutJson().metadata.annotations).toEqual({ [ACCEPT_UNMEASURED_ANNOTATION]: 'too few requests to measure' });
  });

  test('GIVEN a router WHEN notes are read THEN there are none, because the router sets the exact share', () => {
    const fixture = canary(p => ({ trafficRouter: istioRouter(p) }));
    expect(fixture.rollout.strategy.notes(fixture.rollout)).toEqual([]);
  });

  describe('Services only where the routing needs them', () => {
    const none = { stableService: undefined, canaryService: undefined };

    test('GIVEN a replica-based canary without Services WHEN synthesized THEN it is valid and names none', () => {
      const fixture = canary(() => none);
      expect(validationProblems(fixture.app)).toEqual([]);
      const strategy = fixture.rolloutJson().spec.strategy.canary;
      expect(strategy).not.toHaveProperty('stableService');
      expect(strategy).not.toHaveProperty('canaryService');
    });

    test('GIVEN Istio subsets of one Service WHEN synthesized THEN no stable or canary Service is needed', () => {
      const fixture = canary(p => ({
        ...none,
        trafficRouter: TrafficRouter.istio(new VirtualService(p.chart, 'Vs', {
          metadata: { name: 'app' }, hosts: ['app'], port: 80, destinationRule: new DestinationRule(p.chart, 'Dr', { metadata: { name: 'app' }, service: p.stable }),
        })),
      }));
      expect(validationProblems(fixture.app)).toEqual([]);
      expect(fixture.rolloutJson().spec.strategy.canary.trafficRouting.istio.destinationRule).toEqual({ name: 'app', stableSubsetName: 'stable', canarySubsetName: 'canary' });
    });

    test('GIVEN a router that sends traffic to two Services and none WHEN validated THEN both are required, by name of the router', () => {
      expect(validationProblems(canary(p => ({ ...none, trafficRouter: gatewayRouter(p) })).app)).toEqual([
        "test/Rollout: 'stableService' is unset: is required by the gateway api router, which sends traffic to the stable and canary services; pass the service that selects the stable pods",
        "test/Rollout: 'canaryService' is unset: is required by the gateway api router, which sends traffic to the stable and canary services; pass the service that selects the canary pods",
      ]);
    });
  });
});
