import { drawInterval, poisson, seededRandom } from '../../../delivery/plan';

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

  test('GIVEN a rate, a share and error rates WHEN intervals are drawn THEN requests split by the share and errors follow each version\'s rate', () => {
    const random = seededRandom(3);
    const draws = Array.from({ length: 500 }, () => drawInterval(100, 0.1, 10, 0.2, 0.01, random));
    const mean = (field: 'canaryRequests' | 'canaryErrors' | 'stableRequests' | 'stableErrors') => draws.reduce((s, d) => s + d[field], 0) / draws.length;
    expect(mean('canaryRequests')).toBeCloseTo(100, -1);
    expect(mean('stableRequests')).toBeCloseTo(900, -1);
    expect(mean('canaryErrors') / mean('canaryRequests')).toBeCloseTo(0.2, 1);
    expect(mean('stableErrors') / mean('stableRequests')).toBeCloseTo(0.01, 2);
    expect(draws.every(d => d.canaryErrors <= d.canaryRequests && d.stableErrors <= d.stableRequests)).toBe(true);
  });
});
