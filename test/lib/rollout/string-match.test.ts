import { StringMatch } from '../../../lib/rollout/string-match';

describe('StringMatch', () => {
  test('GIVEN each kind WHEN rendered THEN exactly one of exact, prefix and regex is set', () => {
    expect(StringMatch.exact('a').toJson()).toEqual({ exact: 'a' });
    expect(StringMatch.prefix('/api').toJson()).toEqual({ prefix: '/api' });
    expect(StringMatch.regex('^v[0-9]+$').toJson()).toEqual({ regex: '^v[0-9]+$' });
    expect(StringMatch.prefix('/api').value).toBe('/api');
  });
});
