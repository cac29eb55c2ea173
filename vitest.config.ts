import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/build.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Tests start real servers on 127.0.0.1; two cores do not gain from more workers.
    maxWorkers: 2,
  },
});
