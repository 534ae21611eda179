import { ConditionExpression } from '../../../lib/analysis';

describe('ConditionExpression', () => {
  test('GIVEN success and failure expressions with a reason WHEN rendered THEN they pass through as written', () => {
    const condition = ConditionExpression.of({ success: 'len(result) > 0 && all(result, {# < 0.1})', failure: 'any(result, {# > 0.5})', reason: 'a band of doubt' });
    expect([condition.successCondition(), condition.failureCondition()]).toEqual(['len(result) > 0 && all(result, {# < 0.1})', 'any(result, {# > 0.5})']);
    expect(condition.describe()).toBe('success: len(result) > 0 && all(result, {# < 0.1}); failure: any(result, {# > 0.5})');
    expect(condition.problems('threshold', true)).toEqual([]);
  });

  test('GIVEN an indexed result WHEN it is a web value THEN indexing is allowed, and for a prometheus vector it is refused', () => {
    const condition = ConditionExpression.of({ success: 'result[0] == "ok"', reason: 'the service answers a list' });
    expect(condition.problems('condition', false)).toEqual([]);
    expect(condition.problems('threshold', true)).toEqual([[
      'threshold.success', 'result[0] == "ok"', 'indexes the result, which errors on an empty result instead of judging it',
      'use all(result, {...}) or any(result, {...}) with a len(result) guard, or acceptIndexedResult with the reason',
    ]]);
  });

  test('GIVEN an indexed prometheus result with acceptIndexedResult WHEN checked THEN it is accepted, and an empty or needless opt-out is refused', () => {
    const accepted = (acceptIndexedResult: string, success = 'result[0] >= 0.95') => ConditionExpression.of({ success, reason: 'as upstream', acceptIndexedResult });
    expect(accepted('one series always; an empty result is an error').problems('threshold', true)).toEqual([]);
    expect(accepted(' ').problems('threshold', true)).toEqual([[
      'threshold.acceptIndexedResult', ' ', 'must give the reason an indexed result is accepted', "write the reason, e.g. 'the query always returns one series; an empty result is an error'",
    ]]);
    expect(accepted('why', 'all(result, {# >= 0.95})').problems('threshold', true)).toEqual([[
      'threshold.acceptIndexedResult', 'why', 'accepts an indexed result but no prometheus result is indexed', 'remove acceptIndexedResult',
    ]]);
  });

  test.each<[string, string, string]>([
    ['an unbalanced parenthesis', '(result > 1', "is not an expr-lang condition: expects ')' at the end"],
    ['a dangling operator', 'result >', 'is not an expr-lang condition: ends too early'],
    ['an unknown function', 'asFlaot(result) > 1', "is not an expr-lang condition: refers to 'asFlaot', which neither the controller nor expr-lang defines"],
    ['a character expr-lang does not have', 'result @ 2', "is not an expr-lang condition: unexpected '@' at character 8"],
  ])('GIVEN %s WHEN checked THEN it is refused before it reaches the cluster', (_, expression, rule) => {
    expect(ConditionExpression.of({ success: expression, reason: 'r' }).problems('condition', false)).toEqual([
      ['condition.success', expression, rule, 'fix the expression; see https://expr-lang.org/docs/language-definition'],
    ]);
  });
});
