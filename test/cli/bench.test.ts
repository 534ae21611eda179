import { benchCommand } from '../../cli/bench';
import { ROOT } from '../helpers';

describe('bench', () => {
  test.each([
    ['a non-numeric service count', ['--services', 'many'], "'--services' is 'many': must be a positive integer; usage: npm run bench"],
    ['zero environments', ['--envs', '0'], "'--envs' is '0': must be a positive integer"],
    ['an unknown flag', ['--kustomize'], "unknown option '--kustomize'"],
  ])('GIVEN %s WHEN benchmarked THEN it fails with the usage', (_, argv, message) => {
    expect(() => benchCommand(ROOT, argv)).toThrow(message);
  });
});
