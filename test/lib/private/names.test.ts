import { dnsLabelRule, firstDuplicate, isDnsLabel, isPortName } from '../../../lib/private/names';

describe('names', () => {
  test('GIVEN names WHEN checked as rfc 1123 labels THEN lowercase alphanumerics with inner hyphens pass, up to the length given', () => {
    expect(['api', 'api-canary', '0a'].map(n => isDnsLabel(n))).toEqual([true, true, true]);
    expect(['Api', '-api', 'api-', '', 'a_b'].map(n => isDnsLabel(n))).toEqual([false, false, false, false, false]);
    expect([isDnsLabel('a'.repeat(63)), isDnsLabel('a'.repeat(64)), isDnsLabel('a'.repeat(10), 9)]).toEqual([true, false, false]);
    expect(dnsLabelRule(9)).toContain('of at most 9 characters');
  });

  test('GIVEN port names WHEN checked THEN IANA service names of at most 15 characters with a letter pass, as Kubernetes takes them', () => {
    expect(['http', 'http-alt', 'h2c', 'a'.repeat(15)].map(isPortName)).toEqual([true, true, true, true]);
    // Digits alone read as a port number; upper case, edge or double hyphens and 16 characters are not port names.
    expect(['8080', 'HTTP', '-http', 'http-', 'http--alt', '', 'a'.repeat(16)].map(isPortName)).toEqual([false, false, false, false, false, false, false]);
  });

  test('GIVEN names WHEN searched for duplicates THEN the first repeated one is named', () => {
    expect([firstDuplicate(['a', 'b', 'a', 'b']), firstDuplicate(['a', 'b'])]).toEqual(['a', undefined]);
  });
});
