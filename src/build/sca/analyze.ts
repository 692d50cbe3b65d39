import { scanCommands, scanShebangs } from './commands.js';
import { scanLanguageDeps } from './language-deps.js';
import { ldSoConfLibDirs } from './ld-so-conf.js';
import { scanPkgConfig } from './pkg-config.js';
import { LIB_DIRS, scanSharedObjects } from './shared-objects.js';
import type { ScaFindings, ScaInput, ScaResult } from './types.js';
import { walkTree } from './walk.js';

/**
 * melange's `sca.Analyze` over a staged package tree (formats.md §5.12): shared objects
 * (`so:`, `so-ver:`), commands (`cmd:`), doc, pkg-config (`pc:`), perl, python, ruby and
 * shebang generators in melange's order; then each list sorted in byte order without
 * duplicates, and the `no-commands`, `no-depends`, `no-provides` options applied.
 */
export async function analyzePackage(input: ScaInput): Promise<ScaResult> {
  const relatives = input.relatives?.length ? input.relatives : [input.package];
  const extraLibDirs = await ldSoConfLibDirs(relatives);
  const nodes = await walkTree(input.package.dir);
  const out: ScaFindings = { runtime: [], provides: [], vendored: [], warnings: [] };
  await scanSharedObjects(
    nodes,
    {
      pkg: input.package,
      relatives,
      fullVersion: input.fullVersion,
      libDirs: [...LIB_DIRS, ...extraLibDirs],
    },
    out,
  );
  scanCommands(nodes, input.fullVersion, out);
  await scanPkgConfig(nodes, input.fullVersion, out);
  scanLanguageDeps(nodes, input.package.name, input.declaredRuntime ?? [], out);
  await scanShebangs(nodes, out);
  let runtime = sortUnique(out.runtime);
  let provides = sortUnique(out.provides);
  const options = input.options ?? {};
  if (options.noCommands) {
    runtime = runtime.filter((d) => !d.startsWith('cmd:'));
    provides = provides.filter((p) => !p.startsWith('cmd:'));
  }
  if (options.noDepends) runtime = [];
  if (options.noProvides) provides = [];
  return { runtime, provides, vendored: sortUnique(out.vendored), warnings: out.warnings };
}

/** Go's `slices.Compact(slices.Sorted(...))` over strings: byte order, duplicates dropped. */
export function sortUnique(values: readonly string[]): string[] {
  const sorted = [...values].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return sorted.filter((v, i) => i === 0 || v !== sorted[i - 1]);
}
