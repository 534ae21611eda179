import { Action, Actions } from '../../../lib/forgejo';

describe('Action', () => {
  test('GIVEN a pinned action WHEN used THEN uses is the url at the commit', () => {
    expect(Actions.CHECKOUT.uses).toBe('https://data.forgejo.org/actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683');
  });

  test.each([
    ['a tag instead of a commit', { url: 'https://data.forgejo.org/actions/checkout', sha: 'v4', version: 'v4' },
      "action https://data.forgejo.org/actions/checkout: 'sha' is 'v4': must be a full 40-hex commit sha, since tags can move; look up the commit of v4 and pin it"],
    ['a short url', { url: 'actions/checkout', sha: 'a'.repeat(40), version: 'v4' },
      "action actions/checkout: 'url' is 'actions/checkout': must be a full https url without '@'; write e.g. https://data.forgejo.org/actions/checkout"],
  ])('GIVEN %s WHEN constructed THEN it is refused with the fix', (_, props, message) => {
    expect(() => new Action(props)).toThrow(message);
  });
});
