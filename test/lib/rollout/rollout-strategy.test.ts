import * as kplus from 'cdk8s-plus-28';
import { BlueGreenStrategy, CanaryStep, CanaryStrategy, RolloutStrategy } from '../../../lib/rollout';
import { routedServices } from './routes';

describe('RolloutStrategy', () => {
  test('GIVEN each factory WHEN called THEN it returns that strategy, listing the Services the controller rewrites', () => {
    const { stable, canary } = routedServices();
    const canaryStrategy = RolloutStrategy.canary({ stableService: stable, canaryService: canary, steps: [CanaryStep.setWeight(10)] });
    const blueGreen = RolloutStrategy.blueGreen({ activeService: stable, previewService: canary });
    expect(canaryStrategy).toBeInstanceOf(CanaryStrategy);
    expect(blueGreen).toBeInstanceOf(BlueGreenStrategy);
    expect(canaryStrategy.services.map((s: kplus.Service) => s.name)).toEqual(['web-stable', 'web-canary']);
    expect(blueGreen.services.map((s: kplus.Service) => s.name)).toEqual(['web-stable', 'web-canary']);
    expect(Object.keys(canaryStrategy._toStrategy())).toEqual(['canary']);
    expect(Object.keys(blueGreen._toStrategy())).toEqual(['blueGreen']);
  });
});
