import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/integration/**/*.test.ts'],
    reporters: ['default', './test/kit/summary-reporter.ts'],
    testTimeout: 120_000,
    pool: 'forks',
  },
});
