/**
 * `npm test`: every test that needs nothing but `npm ci`. Tests that start a system service (a real
 * Prometheus) are `*.integration.test.ts` and run under `npm run test:integration`
 * (jest.integration.config.js). Tests run transpile-only with swc; `npm test` type-checks with tsc first.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testPathIgnorePatterns: ['/node_modules/', '\\.integration\\.test\\.ts$'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  // Snapshots live in the top-level __snapshots__/, mirroring the test tree.
  snapshotResolver: '<rootDir>/test/snapshot-resolver.js',
  testTimeout: 30000,
  // Each run's temporary folders live under one folder, removed when the run ends.
  globalSetup: '<rootDir>/test/temp-dir-setup.ts',
  globalTeardown: '<rootDir>/test/temp-dir-teardown.ts',
  // Every core, not jest's default of one fewer: the slowest suites (the crash and concurrency tests)
  // mostly wait on the processes they start. On 2 cores: 47 s with two workers, 60–69 s with one.
  maxWorkers: '100%',
};
