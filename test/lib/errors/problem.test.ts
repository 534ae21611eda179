import { Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { ConfigError, describeProblem, fail, failAll, isEcho, problemAt, report, reportAt, reportInputs, validationProblems } from '../../../lib/errors';

const problem = { at: 'fleet', field: 'name', value: 'A', rule: 'must be lowercase', fix: "use 'a'" };

describe('errors', () => {
  test('GIVEN a problem WHEN described THEN it reads path, field, value, rule and fix', () => {
    expect(describeProblem(problem)).toBe("fleet: 'name' is 'A': must be lowercase; use 'a'");
    expect(describeProblem({ ...problem, value: undefined })).toBe("fleet: 'name' is unset: must be lowercase; use 'a'");
    expect(describeProblem({ ...problem, value: [1] })).toBe("fleet: 'name' is [1]: must be lowercase; use 'a'");
  });

  test('GIVEN one problem WHEN failing THEN the error is its one line', () => {
    expect(() => fail(problem)).toThrow(new ConfigError([problem]));
    expect(new ConfigError([problem]).message).toBe("fleet: 'name' is 'A': must be lowercase; use 'a'");
  });

  test('GIVEN several problems WHEN failing on all THEN one error lists them all, and none throws nothing', () => {
    const error = (() => {
      try {
        failAll([problem, 'test: other']);
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error('no error');
    })();
    expect(error.message).toBe("2 problems found:\n  - fleet: 'name' is 'A': must be lowercase; use 'a'\n  - test: other");
    expect(error.problems).toEqual(["fleet: 'name' is 'A': must be lowercase; use 'a'", 'test: other']);
    expect(() => failAll([])).not.toThrow();
  });

  test('GIVEN problems found while building WHEN reported THEN the tree validation lists them all, with the construct path', () => {
    const app = Testing.app();
    const scope = new Chart(app, 'test');
    reportAt(scope, 'a', 1, 'is wrong', 'fix a');
    report(scope, [problemAt(scope, 'b', 2, 'is wrong', 'fix b')]);
    report(scope, []);
    expect(validationProblems(app)).toEqual(["test: 'a' is 1: is wrong; fix a", "test: 'b' is 2: is wrong; fix b"]);
  });

  test('GIVEN a pattern whose input is reported wrong WHEN validated THEN its children\'s echoes are left out, and its siblings\' problems are not', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    const pattern = new Construct(chart, 'Pattern');
    const child = new Construct(pattern, 'Rollout');
    const sibling = new Construct(chart, 'Other');
    reportInputs(pattern, [problemAt(pattern, 'weights[0]', 150, 'must be at most 100', 'use 10')]);
    reportAt(child, 'steps[0].setWeight', 150, 'must be at most 100', 'use 10');
    reportAt(sibling, 'x', 1, 'is wrong', 'fix x');
    expect([isEcho(pattern), isEcho(child), isEcho(sibling)]).toEqual([false, true, false]);
    expect(validationProblems(app)).toEqual(["test/Pattern: 'weights[0]' is 150: must be at most 100; use 10", "test/Other: 'x' is 1: is wrong; fix x"]);
  });

  test('GIVEN a pattern whose inputs are all valid WHEN validated THEN its children\'s problems are reported', () => {
    const app = Testing.app();
    const pattern = new Construct(new Chart(app, 'test'), 'Pattern');
    reportInputs(pattern, []);
    reportAt(new Construct(pattern, 'Rollout'), 'a', 1, 'is wrong', 'fix a');
    expect(validationProblems(app)).toEqual(["test/Pattern/Rollout: 'a' is 1: is wrong; fix a"]);
  });
});
