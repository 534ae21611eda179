import { Chart, Testing } from 'cdk8s';
import { ConfigError, describeProblem, fail, failAll, problemAt, report, reportAt } from '../../../lib/errors';
import { validationProblems } from '../../../lib/synth';

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
});
