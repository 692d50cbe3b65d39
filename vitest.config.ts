import { defineConfig } from 'vitest/config';

// Two tiers (docs/STYLE.md): `unit` needs nothing but Node; `integration` runs real peers
// (system tar, openssl, the built CLI). `npm test` runs both, as CI does.
export default defineConfig({
  test: {
    reporters: ['default', './test/kit/summary-reporter.ts'],
    pool: 'forks',
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 30_000 } },
      { test: { name: 'integration', include: ['test/integration/**/*.test.ts'], testTimeout: 120_000 } },
    ],
  },
});
