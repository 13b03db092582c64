import { defineConfig } from 'vitest/config';

/**
 * Tests that start long-lived Code Roach processes (workers, the server) and signal, kill or fault
 * them. They run in a project of their own, one file at a time and after every other file, so the
 * CPU-heavy crawls of the rest of the suite never share the two cores with them.
 */
const SERVICE_PROCESS_TESTS = ['test/service/**/*.test.ts', 'test/e2e/serve.test.ts', 'test/e2e/service-cli.test.ts', 'test/api/metrics.test.ts'];

const shared = { testTimeout: 120_000, hookTimeout: 120_000, pool: 'forks' as const };

export default defineConfig({
  test: {
    reporters: ['default', './test/summary-reporter.ts'],
    projects: [
      // Fast feedback (`npm run test:unit`): no end-to-end CLI runs, no service processes.
      { test: { ...shared, name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/e2e/**', ...SERVICE_PROCESS_TESTS] } },
      { test: { ...shared, name: 'e2e', include: ['test/e2e/**/*.test.ts'], exclude: SERVICE_PROCESS_TESTS } },
      { test: { ...shared, name: 'service', include: SERVICE_PROCESS_TESTS, fileParallelism: false, sequence: { groupOrder: 1 } } },
    ],
  },
});
