import type { ScaResult } from '../sca/index.js';
import { sortUnique } from '../sca/index.js';
import type { EmitDependencies } from './types.js';

/** The final dependency lists of a package (melange `GenerateDependencies`). */
export interface MergedDependencies {
  readonly runtime: string[];
  readonly provides: string[];
  readonly vendored: string[];
}

/**
 * melange's `removeSelfProvidedDeps`: drops each dependency whose name (before `=`) is among
 * the provides' names. A `so-ver:` dependency is compared, and kept, without its `>=` part.
 */
export function removeSelfProvided(runtime: readonly string[], provides: readonly string[]): string[] {
  const provided = new Set(provides.map((p) => p.split('=')[0] ?? ''));
  const out: string[] = [];
  for (let dep of runtime) {
    if (dep.startsWith('so-ver:')) dep = dep.split('>=')[0] ?? dep;
    if (!provided.has(dep)) out.push(dep);
  }
  return out;
}

/**
 * Merges the recipe's dependencies with the generated ones as melange does: generated runtime
 * dependencies satisfied by the package's own vendored libraries are dropped (declared ones
 * never are), both lists are sorted and deduplicated, then runtime dependencies the package
 * provides itself are removed.
 */
export function mergeDependencies(declared: EmitDependencies, generated: ScaResult): MergedDependencies {
  const unvendored = removeSelfProvided(generated.runtime, generated.vendored);
  const provides = sortUnique([...(declared.provides ?? []), ...generated.provides]);
  const runtime = removeSelfProvided(sortUnique([...(declared.runtime ?? []), ...unvendored]), provides);
  return { runtime, provides, vendored: sortUnique(generated.vendored) };
}
