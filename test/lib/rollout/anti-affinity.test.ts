import { Chart, Testing } from 'cdk8s';
import { AntiAffinity } from '../../../lib/rollout';

describe('AntiAffinity', () => {
  const scope = new Chart(Testing.app(), 'test');

  test('GIVEN each kind WHEN rendered THEN exactly one strategy is listed, as the controller requires', () => {
    expect(AntiAffinity.preferred(50)._toJson()).toEqual({ preferredDuringSchedulingIgnoredDuringExecution: { weight: 50 } });
    expect(AntiAffinity.required()._toJson()).toEqual({ requiredDuringSchedulingIgnoredDuringExecution: {} });
    expect(AntiAffinity.required().problems(scope)).toEqual([]);
  });

  test('GIVEN a weight above 100 WHEN checked THEN the problem states the range', () => {
    expect(AntiAffinity.preferred(101).problems(scope)).toEqual(["test: 'antiAffinity.weight' is 101: must be an integer from 1 to 100; use a weight such as 100"]);
  });
});
