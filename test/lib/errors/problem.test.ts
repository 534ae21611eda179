import { Chart, Testing } from 'cdk8s';
import { ConfigError, describeProblem, failOnFirst, problemAt } from '../../../lib/errors';

describe('errors', () => {
  test('GIVEN a problem WHEN described THEN it reads path, field, value, rule and fix', () => {
    expect(describeProblem({ at: 'fleet', field: 'name', value: 'A', rule: 'must be lowercase', fix: "use 'a'" })).toBe("fleet: 'name' is 'A': must be lowercase; use 'a'");
  });

  test('GIVEN problems WHEN failing on the first THEN only it is thrown, and none throws nothing', () => {
    const scope = new Chart(Testing.app(), 'test');
    const first = problemAt(scope, 'a', 1, 'is wrong', 'fix a');
    expect(() => failOnFirst([first, problemAt(scope, 'b', 2, 'is wrong', 'fix b')])).toThrow(new ConfigError("test: 'a' is 1: is wrong; fix a"));
    expect(() => failOnFirst([])).not.toThrow();
  });
});
