import { documentCount } from '../../../lib/output';

describe('documentCount', () => {
  test('GIVEN object and rendered files WHEN counted THEN objects count one each and a rendered file one', () => {
    expect(documentCount({ objects: [{ toJson: () => ({}) }, { toJson: () => ({}) }] })).toBe(2);
    expect(documentCount({ render: () => 'name: ci\n' })).toBe(1);
  });
});
