import { Actions, setUpNode } from '../../../lib/forgejo';

describe('setUpNode', () => {
  test('GIVEN a lock file path WHEN the step is built THEN it sets up Node 24 LTS with the npm cache keyed on that file', () => {
    expect(setUpNode('web/package-lock.json').toJson()).toEqual({
      name: 'Set up Node.js',
      uses: Actions.SETUP_NODE.uses,
      with: { 'node-version': '24', 'cache': 'npm', 'cache-dependency-path': 'web/package-lock.json' },
    });
  });

  test('GIVEN no lock file path WHEN the step is built THEN the cache uses the default lock file', () => {
    expect(setUpNode().toJson().with).toEqual({ 'node-version': '24', 'cache': 'npm' });
  });
});
