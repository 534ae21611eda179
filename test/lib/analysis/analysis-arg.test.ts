import { requiredArgNames } from '../../../lib/analysis';

describe('requiredArgNames', () => {
  test('GIVEN args with and without a value or a secret WHEN asked THEN only those without either are required', () => {
    expect(requiredArgNames([
      { name: 'hash' },
      { name: 'env', value: 'prod' },
      { name: 'token', secretKeyRef: { name: 'prom', key: 'token' } },
    ])).toEqual(['hash']);
  });
});
