import { exprLangProblem } from '../../../../lib/analysis/private/expr-lang';

describe('exprLangProblem', () => {
  test.each([
    'result == true',
    'len(result) > 0 && all(result, {(!isNaN(#) && !isInf(#) && # >= 0.99)})',
    'asFloat(result.data.ok) > 1',
    'result.state not in ["down", "degraded"]',
    'let n = asInt(result); n > 2 and n < 10',
    'default(result, 0) >= 3 ? true : false',
    "'a' == \"b\" || isNil(result)",
    'result[1:] == [] || result[:2] != nil',
    '{a: 1}.a == 1',
    'result matches "^ok"',
    '-1 < asFloat(result) ** 2',
  ])('GIVEN %s WHEN parsed THEN it is a valid condition', expression => {
    expect(exprLangProblem(expression)).toBeUndefined();
  });

  test.each([
    ['', 'is empty'],
    ['resutl > 1', "refers to 'resutl', which neither the controller nor expr-lang defines"],
    ['all(result, {# > 1)', "expects '}', not ')'"],
    ['result > 1 1', "unexpected '1' after the end of the expression"],
    ['result.', 'ends too early'],
    ['result. > 1', "expects a field name after '.'"],
    ['f = 1', "refers to 'f', which neither the controller nor expr-lang defines"],
  ])('GIVEN %s WHEN parsed THEN the problem says where it breaks', (expression, problem) => {
    expect(exprLangProblem(expression)).toBe(problem);
  });
});
