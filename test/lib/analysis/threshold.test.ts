import { Threshold, Verdict } from '../../../lib/analysis';

/**
 * Evaluates a rendered expr-lang condition over `result` by translating the few constructs the
 * conditions use (len, all, any, isNaN, isInf, #, &&, ||, !, comparisons) into JavaScript. Any
 * other construct throws, so a condition this cannot read fails the test instead of passing.
 */
function exprLang(condition: string, result: number[]): boolean {
  const js = condition
    .replace(/len\(result\)/g, 'result.length')
    .replace(/(all|any)\(result, \{/g, (_, fn) => `result.${fn === 'all' ? 'every' : 'some'}((h) => (`)
    .replace(/\}\)/g, '))')
    .replace(/isNaN\(#\)/g, 'Number.isNaN(h)')
    .replace(/isInf\(#\)/g, '(!Number.isFinite(h) && !Number.isNaN(h))')
    .replace(/#/g, 'h');
  // Only the translated constructs remain; an unknown identifier throws a ReferenceError when run.
  if (!/^[\sa-zA-Z0-9_.()&|!<>=+\-]*$/.test(js)) throw new Error(`cannot read '${condition}'`);
  return new Function('result', `return (${js});`)(result);
}

/** The verdict of Argo Rollouts' EvaluateResult (utils/evaluate/evaluate.go) for the rendered conditions of `threshold`. */
function argoVerdict(threshold: Threshold, result: number[]): string {
  const successCondition = threshold.successCondition();
  const failureCondition = threshold.failureCondition();
  let success = successCondition === undefined ? false : exprLang(successCondition, result);
  let failure = failureCondition === undefined ? false : exprLang(failureCondition, result);
  // Without a failure condition, a false success condition fails; without a success condition, a false failure condition passes.
  if (failureCondition === undefined) failure = !success;
  if (successCondition === undefined) success = !failure;
  if (failure) return 'Failed';
  return success ? 'Successful' : 'Inconclusive';
}

const VERDICTS = [Verdict.PASS, Verdict.FAIL, Verdict.INCONCLUSIVE];
const OPERATORS = [Threshold.atLeast, Threshold.atMost, Threshold.above, Threshold.below];

/** Every threshold this class can render at `bound`: each operator, each policy, and failure-only where no verdict is inconclusive. */
function everyThreshold(bound: number): Threshold[] {
  return OPERATORS.flatMap(make => VERDICTS.flatMap(onEmpty => VERDICTS.flatMap(onNaN => VERDICTS.flatMap(onInf => [false, true]
    .filter(failureOnly => !failureOnly || ![onEmpty, onNaN, onInf].includes(Verdict.INCONCLUSIVE))
    .map(failureOnly => make(bound, { onEmpty, onNaN, onInf, failureOnly }))))));
}

describe('Threshold', () => {
  test('GIVEN the fail-closed default WHEN rendered THEN no result[0] index is used and only a success condition exists', () => {
    const threshold = Threshold.atLeast(0.99);
    expect(threshold.successCondition()).toBe('len(result) > 0 && all(result, {(!isNaN(#) && !isInf(#) && # >= 0.99)})');
    expect(threshold.successCondition()).not.toMatch(/result\s*\[/);
    expect(threshold.failureCondition()).toBeUndefined();
  });

  test('GIVEN inconclusive no-data policies WHEN rendered THEN a failure condition separates failures from missing data', () => {
    const threshold = Threshold.atMost(0.5, { onEmpty: Verdict.INCONCLUSIVE, onNaN: Verdict.INCONCLUSIVE });
    expect(threshold.successCondition()).toBe('len(result) > 0 && all(result, {(!isNaN(#) && !isInf(#) && # <= 0.5)})');
    expect(threshold.failureCondition()).toBe('any(result, {(!isNaN(#) && !isInf(#) && !(# <= 0.5)) || isInf(#)})');
  });

  test('GIVEN a pass-on-empty policy WHEN rendered THEN the length guard is dropped because all() of nothing is true', () => {
    expect(Threshold.atLeast(0.9, { onEmpty: Verdict.PASS, onNaN: Verdict.PASS }).successCondition())
      .toBe('all(result, {(!isNaN(#) && !isInf(#) && # >= 0.9) || isNaN(#)})');
  });

  test.each([
    ['fail-closed', Threshold.atLeast(0.99), [[0.995], [0.98], [], [NaN], [Infinity], [1, 0.5]], ['Successful', 'Failed', 'Failed', 'Failed', 'Failed', 'Failed']],
    ['inconclusive without data', Threshold.atLeast(0.99, { onEmpty: Verdict.INCONCLUSIVE, onNaN: Verdict.INCONCLUSIVE }), [[0.995], [0.98], [], [NaN], [Infinity], [NaN, 0.5]], ['Successful', 'Failed', 'Inconclusive', 'Inconclusive', 'Failed', 'Failed']],
    ['pass without data', Threshold.atMost(0.3, { onEmpty: Verdict.PASS, onNaN: Verdict.PASS }), [[0.2], [0.4], [], [NaN], [-Infinity]], ['Successful', 'Failed', 'Successful', 'Successful', 'Failed']],
  ])('GIVEN the %s policy WHEN results are evaluated THEN the verdicts follow the documented policy', (_, threshold, results, phases) => {
    expect(results.map(r => threshold.evaluate(r).phase)).toEqual(phases);
  });

  test('GIVEN a threshold WHEN described THEN every policy is named', () => {
    expect(Threshold.atLeast(0.99).describe()).toBe('>= 0.99 (empty: Failed, NaN: Failed, Inf: Failed)');
  });

  test('GIVEN every operator and policy and many results WHEN the rendered conditions are evaluated as Argo Rollouts does THEN evaluate() agrees exactly', () => {
    // 0.99 itself is where strict and non-strict comparisons part.
    const results = [
      [], [0.5], [0.99], [0.995], [0.98], [NaN], [Infinity], [-Infinity], [0.995, NaN], [0.995, Infinity], [0.98, NaN], [NaN, Infinity], [1, 1, 1],
    ];
    const thresholds = everyThreshold(0.99);
    for (const threshold of thresholds) {
      for (const result of results) {
        expect(`${threshold.describe()} ${JSON.stringify(result.map(String))}: ${threshold.evaluate(result).phase}`)
          .toBe(`${threshold.describe()} ${JSON.stringify(result.map(String))}: ${argoVerdict(threshold, result)}`);
      }
    }
    // 4 operators × (27 policies + the 8 without an inconclusive verdict again as failure-only).
    expect(thresholds).toHaveLength(4 * (27 + 8));
  });

  test('GIVEN a bound met exactly WHEN judged strictly and non-strictly THEN only the non-strict comparison passes', () => {
    expect([Threshold.atLeast(0.99), Threshold.above(0.99), Threshold.atMost(0.99), Threshold.below(0.99)].map(t => t.evaluate([0.99]).phase))
      .toEqual(['Successful', 'Failed', 'Successful', 'Failed']);
    expect(Threshold.below(0.01).successCondition()).toBe('len(result) > 0 && all(result, {(!isNaN(#) && !isInf(#) && # < 0.01)})');
  });

  test('GIVEN a failure-only threshold WHEN rendered THEN only a failure condition exists and an empty result fails by default', () => {
    const threshold = Threshold.above(0.05, { failureOnly: true });
    expect(threshold.successCondition()).toBeUndefined();
    expect(threshold.failureCondition()).toBe('len(result) == 0 || any(result, {(!isNaN(#) && !isInf(#) && !(# > 0.05)) || isNaN(#) || isInf(#)})');
    expect(threshold.describe()).toBe('> 0.05 (empty: Failed, NaN: Failed, Inf: Failed, failure condition only)');
    expect(threshold.problems()).toEqual([]);
  });

  test.each<[string, Threshold, string[][]]>([
    ['an infinite bound', Threshold.atMost(Infinity), [['threshold', 'Infinity', 'must be a finite number', 'compare with a finite bound']]],
    ['a failure-only threshold with an inconclusive verdict', Threshold.atLeast(0.9, { failureOnly: true, onEmpty: Verdict.INCONCLUSIVE }), [[
      'threshold', '>= 0.9 (empty: Inconclusive, NaN: Failed, Inf: Failed, failure condition only)',
      'renders only a failure condition, which cannot tell an inconclusive measurement from a passing one',
      'drop failureOnly, or make the no-data verdicts pass or fail',
    ]]],
  ])('GIVEN %s WHEN checked THEN the problem says so', (_, threshold, problems) => {
    expect(threshold.problems().map(p => p.map(String))).toEqual(problems);
  });

  test('GIVEN every threshold this class renders WHEN its conditions are read back THEN the same threshold comes out', () => {
    for (const threshold of [...everyThreshold(0.995), ...everyThreshold(250)]) {
      const read = Threshold.fromCondition(threshold.successCondition(), threshold.failureCondition());
      expect(read?.describe()).toBe(threshold.describe());
    }
  });

  test('GIVEN a condition this class did not render WHEN read back THEN there is no threshold', () => {
    expect(Threshold.fromCondition('result[0] >= 0.99')).toBeUndefined();
    expect(Threshold.fromCondition(undefined)).toBeUndefined();
    // The right success condition with a failure condition it would not render is someone else's.
    expect(Threshold.fromCondition(Threshold.atLeast(0.99).successCondition(), 'len(result) == 0')).toBeUndefined();
  });

  test('GIVEN a condition with a construct the evaluator does not know WHEN evaluated THEN it refuses rather than guesses', () => {
    expect(() => exprLang('result[0] > 1', [2])).toThrow("cannot read 'result[0] > 1'");
  });
});
