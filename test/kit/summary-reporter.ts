import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints a last line `N passed, N failed` from vitest's real counts, which `.ci/run` reads
 * (see docs/CLI.md). Files that fail to load count as failed.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let failed = unhandledErrors.length;
    let skipped = 0;
    for (const mod of testModules) {
      let seen = 0;
      for (const test of mod.children.allTests()) {
        seen++;
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
      if (seen === 0 && mod.state() === 'failed') failed++;
    }
    process.stdout.write(`\n${skipped ? `${skipped} skipped, ` : ''}${passed} passed, ${failed} failed\n`);
  }
}
