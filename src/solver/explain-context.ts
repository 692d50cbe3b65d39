/** State shared by the explanation walk (explain.ts, explain-package.ts). */
import type { WorldDep } from './changeset.js';
import { isProvided } from './constraints.js';
import type { SolveState } from './state.js';
import type { SolverProblem } from './types.js';
import type { WorldDependency } from './world-dependency.js';

export interface ExplainContext {
  readonly s: SolveState;
  readonly world: readonly WorldDep[];
  readonly marked: Uint8Array;
  readonly nameState: Int32Array;
  readonly pkgState: Int32Array;
  readonly problems: SolverProblem[];
}

/** apk `apk_dep_analyze`: 1 satisfies, -1 conflicts, 0 irrelevant. */
export function analyzeDep(x: ExplainContext, dep: WorldDependency, name: number, pkg: number): number {
  const p = x.s.u.packages[pkg]!;
  if (p.name === name) return isProvided(x.s, dep, pkg, p.source.version) ? 1 : -1;
  const provide = p.provides.find((d) => d.name === name);
  if (provide === undefined) return 0;
  return isProvided(x.s, dep, pkg, provide.version) ? 1 : -1;
}
