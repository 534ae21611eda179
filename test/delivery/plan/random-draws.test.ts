import { poisson, seededRandom } from '../../../delivery/plan';

describe('random draws', () => {
  test('GIVEN a seed WHEN drawn twice THEN the numbers repeat, and Poisson draws average their mean', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
    const random = seededRandom(1);
    const draws = Array.from({ length: 2000 }, () => poisson(3, random));
    expect(draws.reduce((s, d) => s + d, 0) / draws.length).toBeCloseTo(3, 0);
    expect(poisson(0, random)).toBe(0);
  });
});
