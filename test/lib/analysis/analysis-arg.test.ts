import { isRequiredArg } from '../../../lib/analysis';

describe('isRequiredArg', () => {
  test('GIVEN args with and without a source WHEN checked THEN only an arg with neither value nor Secret is required', () => {
    expect(isRequiredArg({ name: 'hash' })).toBe(true);
    expect(isRequiredArg({ name: 'env', value: 'prod' })).toBe(false);
    expect(isRequiredArg({ name: 'token', secretKeyRef: { name: 'prom', key: 'token' } })).toBe(false);
  });
});
