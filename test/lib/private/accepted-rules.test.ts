import { ACCEPTED_RULES_ANNOTATION, acceptedRulesAnnotation, acceptedRulesOf } from '../../../lib/private/accepted-rules';

describe('accepted rules', () => {
  test('GIVEN opt-outs WHEN written and read back THEN they round-trip through the annotation', () => {
    const annotations = acceptedRulesAnnotation({ 'pass/job-without-deadline': 'exit 0 cannot hang' });
    expect(annotations).toEqual({ [ACCEPTED_RULES_ANNOTATION]: '{"pass/job-without-deadline":"exit 0 cannot hang"}' });
    expect(acceptedRulesOf(annotations)).toEqual({ 'pass/job-without-deadline': 'exit 0 cannot hang' });
  });

  test('GIVEN no opt-out, no annotation or an unreadable one WHEN read THEN nothing is accepted', () => {
    expect(acceptedRulesAnnotation({})).toEqual({});
    expect(acceptedRulesOf(undefined)).toEqual({});
    expect(acceptedRulesOf({ [ACCEPTED_RULES_ANNOTATION]: 'not json' })).toEqual({});
  });
});
