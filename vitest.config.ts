import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    reporters: ['default', './test/kit/summary-reporter.ts'],
    testTimeout: 30_000,
    pool: 'forks',
  },
});
