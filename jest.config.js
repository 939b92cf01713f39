// Three tiers, told apart by file name:
//   *.test.ts        unit: no I/O beyond reading repository files
//   *.int.test.ts    one subgraph against a real MariaDB/MySQL
//   test/e2e/*.ts    gateway and subgraphs over HTTP on free ports
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] };
const common = {
  transform,
  testEnvironment: 'node',
  setupFiles: ['<rootDir>/test/support/env.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};
const database = {
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
};

/** @type {import('jest').Config} */
module.exports = {
  // Hooks and tests that start servers and migrate five databases: 5 s (Jest's default) is too tight on a
  // 2-core CI machine running several suites at once; a hook that times out leaves its servers running and
  // slows every suite after it. A global option (Jest reads it here, not per project). Long suites set their own.
  testTimeout: 30_000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/**/*.test.ts'],
      testPathIgnorePatterns: [...common.testPathIgnorePatterns, '\\.int\\.test\\.ts$', '/test/e2e/'],
    },
    { ...common, ...database, displayName: 'int', testMatch: ['<rootDir>/**/*.int.test.ts'] },
    { ...common, ...database, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.test.ts'] },
  ],
};
