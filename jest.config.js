/** Two projects: colocated unit specs and e2e suites against the real app. */
const transform = { '^.+\\.ts$': ['@swc/jest'] };
module.exports = {
  testTimeout: 60000,
  projects: [
    {
      displayName: 'unit',
      rootDir: 'src',
      testRegex: '.*\\.spec\\.ts$',
      moduleFileExtensions: ['js', 'json', 'ts'],
      transform,
      testEnvironment: 'node',
      // Says once per run when the MongoDB suites are skipped (MONGO_URL unset).
      globalSetup: '<rootDir>/../test/support/mongo-notice.global.ts',
    },
    {
      displayName: 'e2e',
      rootDir: 'test',
      testRegex: '.*\\.e2e-spec\\.ts$',
      moduleFileExtensions: ['js', 'json', 'ts'],
      transform,
      testEnvironment: 'node',
      testTimeout: 60000,
    },
  ],
};
