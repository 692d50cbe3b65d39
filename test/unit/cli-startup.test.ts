import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../kit/paths.js';

/** Files reachable from `from` through static, non-type imports (dynamic imports excluded). */
function staticClosure(from: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?from\s+'(\.[^']+)'/gms)) {
      visit(resolve(dirname(file), m[1]!.replace(/\.js$/, '.ts')));
    }
  };
  visit(from);
  return seen;
}

// Start-up cost is part of every command (bench/run.ts measures `version compare` against
// `node -e 0`): the entry point must not statically load the heavy modules; commands import
// them lazily inside their actions.
describe('CLI start-up', () => {
  it('main.ts loads no image, oci, sbom, repo or solver code before a command runs', () => {
    const loaded = [...staticClosure(join(ROOT, 'src', 'cli', 'main.ts'))].map((f) =>
      f.slice(join(ROOT, 'src').length + 1),
    );
    expect(loaded.filter((f) => /^(image|oci|sbom|repo|solver)\//.test(f))).toEqual([]);
    expect(loaded).toContain('cli/commands.ts');
  });
});
