import { StringMatch } from '../../../lib/rollout';

describe('StringMatch', () => {
  test('GIVEN each kind WHEN rendered THEN exactly one of exact, prefix and regex is set', () => {
    expect(StringMatch.exact('a')._toJson()).toEqual({ exact: 'a' });
    expect(StringMatch.prefix('/api')._toJson()).toEqual({ prefix: '/api' });
    expect(StringMatch.regex('^v[0-9]+$')._toJson()).toEqual({ regex: '^v[0-9]+$' });
    expect(StringMatch.prefix('/api').value).toBe('/api');
  });
});
