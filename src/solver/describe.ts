/**
 * Small formatters shared by the explanation: package references, dependency text as apk prints
 * it (`apk_dep_snprintf` without a database, so never with `@tag`), requirers, and the reason a
 * candidate was disqualified.
 */
import { isProviderAutoSelectable } from './reconsider.js';
import type { SolveState } from './state.js';
import type { CandidateVerdict, SolverPackageRef, SolverRequirer } from './types.js';
import type { Provider } from './universe.js';
import { type WorldDependency, worldDependencyText } from './world-dependency.js';

export function packageRef(s: SolveState, pkg: number): SolverPackageRef {
  const src = s.u.packages[pkg]!.source;
  return { name: src.name, version: src.version };
}

/** `name-version`, apk's `PKG_VER_FMT`. */
export function packageText(s: SolveState, pkg: number): string {
  const src = s.u.packages[pkg]!.source;
  return `${src.name}-${src.version}`;
}

export function dependencyText(dep: WorldDependency): string {
  return worldDependencyText(dep);
}

/** The requirer of a constraint: `ppkg` -1 is the world. */
export function requirer(s: SolveState, ppkg: number, dep: WorldDependency): SolverRequirer {
  const dependency = dependencyText(dep);
  if (ppkg < 0) return { kind: 'world', dependency };
  return { kind: 'package', ...packageRef(s, ppkg), dependency };
}

/** Why a provider of a name that ended with no choice was not picked. */
export function candidateVerdict(s: SolveState, p: Provider): CandidateVerdict {
  if (!isProviderAutoSelectable(s, p)) return { kind: 'not-auto-selectable' };
  if (s.selectable[p.pkg]) return { kind: 'selectable' };
  const why = s.disqualified[p.pkg];
  if (why === undefined) return { kind: 'disqualified', reason: 'conflicting dependency', detail: 'unknown' };
  return { kind: 'disqualified', reason: why.reason, detail: disqualifyDetail(s, p.pkg) };
}

/** A sentence naming what ruled a package out. */
export function disqualifyDetail(s: SolveState, pkg: number): string {
  const why = s.disqualified[pkg];
  if (why === undefined) return '';
  const nameOf = (id: number): string => s.names[id]!.name;
  switch (why.reason) {
    case 'conflicting dependency': {
      if (why.dep === undefined) return '';
      const r = requirer(s, why.by, why.dep);
      return r.kind === 'world'
        ? `violates world[${r.dependency}]`
        : `violates ${r.name}-${r.version}[${r.dependency}]`;
    }
    case 'dependency no longer satisfiable':
      return why.dep === undefined
        ? ''
        : `no selectable provider left for its dependency ${dependencyText(why.dep)}`;
    case 'provides transitivity': {
      const [shared, wanted] = why.names ?? [0, 0];
      return `every candidate for ${nameOf(wanted)} provides ${nameOf(shared)}, but this package does not provide ${nameOf(wanted)}`;
    }
    case 'conflicting provides': {
      const [name] = why.names ?? [0];
      const to = why.by < 0 ? 'nothing' : packageText(s, why.by);
      return `${nameOf(name)} was already taken by ${to}`;
    }
  }
}
