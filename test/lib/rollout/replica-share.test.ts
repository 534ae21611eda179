import { replicaSplit, surgePods } from '../../../lib/rollout';

describe('replicaSplit', () => {
  // Worked by hand from the controller's rule: closest share among `replicas` and, with surge, `replicas + 1` pods.
  test.each([
    [3, 10, 0, { canary: 1, stable: 2 }], // no surge: 1 of 3 is the closest non-zero share, 33%
    [3, 10, 1, { canary: 1, stable: 3 }], // surge allows 1 of 4, 25%, closer to 10%
    [10, 10, 3, { canary: 1, stable: 9 }], // exact
    [2, 50, 1, { canary: 1, stable: 1 }],
    [3, 50, 0, { canary: 2, stable: 1 }], // 1.5 is a tie between 1 and 2: the larger count wins
    [5, 100, 2, { canary: 5, stable: 0 }],
    [5, 0, 2, { canary: 0, stable: 5 }],
  ])('GIVEN %i replicas, weight %i and surge %i WHEN split THEN it matches the controller', (replicas, weight, surge, expected) => {
    expect(replicaSplit(replicas, weight, surge)).toMatchObject(expected);
  });

  test('GIVEN a split WHEN its share is read THEN it is the canary share of all pods', () => {
    expect(replicaSplit(3, 10, 1).share).toBe(25);
  });

  test('GIVEN a surge as percent or count WHEN converted THEN percentages round up', () => {
    expect(surgePods(3, '25%')).toBe(1);
    expect(surgePods(10, '25%')).toBe(3);
    expect(surgePods(10, 2)).toBe(2);
  });
});
