const path = require('path');

const root = path.resolve(__dirname, '..');
const tests = path.join(root, 'test');
const snapshots = path.join(root, '__snapshots__');

module.exports = {
  resolveSnapshotPath: (testPath, extension) => path.join(snapshots, path.relative(tests, testPath) + extension),
  resolveTestPath: (snapshotPath, extension) => path.join(tests, path.relative(snapshots, snapshotPath).slice(0, -extension.length)),
  testPathForConsistencyCheck: path.join(tests, 'lib', 'example.test.ts'),
};
