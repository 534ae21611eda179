/** `npm run test:integration`: the tests that need a system service; the setup says how to install it. */
const base = require('./jest.config');

module.exports = {
  ...base,
  testPathIgnorePatterns: ['/node_modules/'],
  testMatch: ['**/*.integration.test.ts'],
  globalSetup: '<rootDir>/test/integration-setup.ts',
};
