import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/build.ts'],
    // Deadlines, not speed checks: machines here are shared and often busy, and a passing test
    // never waits for them. Speed is measured by `npm run bench`.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // A promise a test started and never handled fails the run (vitest's default, kept on purpose).
    dangerouslyIgnoreUnhandledErrors: false,
    // Tests start real servers on 127.0.0.1; two cores do not gain from more workers.
    maxWorkers: 2,
    // Test files in one worker share loaded modules instead of importing discord.js, Kysely and
    // the rest again for each of 79 files (70 s of the suite's CPU). Safe because nothing under
    // src/ keeps module-level state that a test changes (dependencies are passed in), and every
    // file closes what it opens; files still run one at a time per worker.
    isolate: false,
  },
});
