import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { writeFileAtomic } from '../core/index.js';
import type { RepositoryIndex } from '../repo/index.js';
import { fromIndexRecords, type SolverPackage } from '../solver/index.js';
import { PACKAGE_VERSION } from './package-version.js';

/** Bump when SolverPackage or the index parser changes shape or meaning. */
const SCHEMA = 1;

/**
 * Solver packages of an index, kept under `<stateDir>/cache/solver/` by the digest of the
 * index bytes (which loadIndexes has just verified), so each index text is parsed once, not
 * once per run. A hit costs one v8 deserialisation (~30 ms for 5,004 packages) instead of
 * parsing and adapting the text (~150-250 ms cold). The cache is trusted like the rest of
 * `--state-dir` (created 0700); a corrupt or foreign entry is ignored and rewritten.
 */
export async function solverPackagesOf(
  index: RepositoryIndex,
  stateDir: string,
): Promise<readonly SolverPackage[]> {
  const dir = join(stateDir, 'cache', 'solver');
  const file = join(dir, `${index.digest.replace(/^sha256:/, '')}.v${SCHEMA}.bin`);
  try {
    const entry = deserialize(await readFile(file)) as { version?: unknown; packages?: unknown };
    if (entry.version === PACKAGE_VERSION && Array.isArray(entry.packages))
      return entry.packages as SolverPackage[];
  } catch {
    // Missing or unreadable: parse below and rewrite.
  }
  const packages = fromIndexRecords(index.records);
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await writeFileAtomic(file, serialize({ version: PACKAGE_VERSION, packages }), { mode: 0o600 });
  } catch {
    // A read-only state directory only costs speed.
  }
  return packages;
}
