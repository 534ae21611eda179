import { WebCondition } from '../../../lib/analysis';
import { exprLangProblem } from '../../../lib/analysis/private/expr-lang';

describe('WebCondition', () => {
  test.each<[string, WebCondition, string | undefined, string | undefined, string]>([
    ['at least', WebCondition.atLeast(0.95), 'asFloat(result) >= 0.95', undefined, '>= 0.95'],
    ['at most', WebCondition.atMost(200), 'asFloat(result) <= 200', undefined, '<= 200'],
    ['strictly above', WebCondition.above(0), 'asFloat(result) > 0', undefined, '> 0'],
    ['strictly below', WebCondition.below(1), 'asFloat(result) < 1', undefined, '< 1'],
    ['a boolean', WebCondition.equals(true), 'result == true', undefined, '== true'],
    ['a string with a quote', WebCondition.equals('he said "ok"'), 'result == "he said \\"ok\\""', undefined, '== "he said \\"ok\\""'],
    ['a failure-only value', WebCondition.notEquals('down'), undefined, 'result == "down"', 'fails when == "down"'],
  ])('GIVEN %s WHEN rendered THEN it compares the one JSON value the provider passes', (_, condition, success, failure, description) => {
    expect(condition.successCondition()).toBe(success);
    expect(condition.failureCondition()).toBe(failure);
    expect(condition.describe()).toBe(description);
    for (const expression of [success, failure].filter((e): e is string => e !== undefined)) expect(exprLangProblem(expression)).toBeUndefined();
    expect(condition.problems('condition')).toEqual([]);
  });

  test('GIVEN an infinite bound WHEN checked THEN it is refused with the field', () => {
    expect(WebCondition.atLeast(Infinity).problems('condition')).toEqual([['condition', Infinity, 'must be a finite number', 'compare with a finite bound']]);
  });
});
