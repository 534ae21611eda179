import { documentCount } from '../../../lib/synth/output-file';

describe('documentCount', () => {
  test('GIVEN document and text files WHEN counted THEN documents count one each and a text file one', () => {
    expect(documentCount({ documents: [{}, {}] })).toBe(2);
    expect(documentCount({ text: 'name: ci\n' })).toBe(1);
  });
});
