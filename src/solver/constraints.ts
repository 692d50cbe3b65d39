/**
 * Constraint propagation primitives of apk-tools' solver (solver.md §3.3): queues, constraint
 * application, pinning inheritance and disqualification. Each function mirrors the apk
 * function of the same name; order of side effects matters because it drives the queues.
 *
 * Loops are indexed rather than for-of: a solve runs mostly before V8 optimizes it, and there
 * for-of costs an iterator call and a result object per step (about 3x slower, measured).
 */

import { rinstallIfOf } from './reverse-edges.js';
import { seenRdependsOf } from './seen-edges.js';
import type { Disqualification, SolveState } from './state.js';
import { pinningRepos } from './universe.js';
import { type WorldDependency, worldDependencyMatches } from './world-dependency.js';

/** apk `apk_dep_is_provided` against a provider (package id or -1 for "nothing"). */
export function isProvided(
  s: SolveState,
  dep: WorldDependency,
  pkg: number,
  version: string | undefined,
): boolean {
  if (pkg < 0) return dep.conflict;
  return worldDependencyMatches(dep, version, s.u.packages[pkg]!.source.checksum);
}

/** Whether `dep` is satisfied by what its name is locked to. */
export function isProvidedByChosen(s: SolveState, dep: WorldDependency, name: number): boolean {
  return isProvided(s, dep, s.chosenPkg[name]!, s.chosenVersion[name]);
}

export function queueDirty(s: SolveState, name: number): void {
  if (s.dirty.has(name) || s.locked[name] || (s.requirers[name] === 0 && !s.reevaluateIif[name])) return;
  s.dirty.addTail(name);
}

export function queueUnresolved(s: SolveState, name: number): void {
  if (s.locked[name]) return;
  const want = s.requirers[name]! > 0 || s.hasIif[name] === 1;
  const queued = s.unresolved.has(name);
  if (want && !queued) s.unresolved.addHead(name);
  else if (!want && queued) s.unresolved.remove(name);
}

export function reevaluateReverseDeps(s: SolveState, name: number): void {
  for (let ni = 0, ns = seenRdependsOf(s, name); ni < ns.length; ni++) {
    const n = ns[ni]!;
    if (!s.seen[n]) continue;
    s.reevaluateDeps[n] = 1;
    queueDirty(s, n);
  }
}

export function reevaluateReverseInstallIf(s: SolveState, name: number): void {
  for (let ni = 0, ns = rinstallIfOf(s.u, name); ni < ns.length; ni++) {
    const n = ns[ni]!;
    if (!s.seen[n] || s.noIif[n]) continue;
    s.reevaluateIif[n] = 1;
    queueDirty(s, n);
  }
}

export function reevaluateReverseInstallIfPkg(s: SolveState, pkg: number): void {
  const p = s.u.packages[pkg]!;
  reevaluateReverseInstallIf(s, p.name);
  for (let pri = 0, prs = p.provides; pri < prs.length; pri++) {
    const pr = prs[pri]!;
    reevaluateReverseInstallIf(s, pr.name);
  }
}

export function disqualify(s: SolveState, pkg: number, why: Disqualification): void {
  if (s.selectable[pkg] && s.disqualified[pkg] === undefined) s.disqualified[pkg] = why;
  s.selectable[pkg] = 0;
  const p = s.u.packages[pkg]!;
  reevaluateReverseDeps(s, p.name);
  for (let pri = 0, prs = p.provides; pri < prs.length; pri++) {
    const pr = prs[pri]!;
    reevaluateReverseDeps(s, pr.name);
  }
  reevaluateReverseInstallIfPkg(s, pkg);
}

/** apk `dependency_satisfiable`. */
export function dependencySatisfiable(s: SolveState, dep: WorldDependency, name: number): boolean {
  if (s.locked[name]) return isProvidedByChosen(s, dep, name);
  if (s.requirers[name] === 0 && dep.conflict) return true;
  for (let pi = 0, ps = s.names[name]!.providers; pi < ps.length; pi++) {
    const p = ps[pi]!;
    if (s.selectable[p.pkg] && isProvided(s, dep, p.pkg, p.version)) return true;
  }
  return false;
}

export function nameRequirersChanged(s: SolveState, name: number): void {
  queueUnresolved(s, name);
  reevaluateReverseInstallIf(s, name);
  queueDirty(s, name);
}

/** apk `inherit_pinning_and_flags`; `ppkg` -1 means a world dependency. */
export function inheritPinning(s: SolveState, pkg: number, ppkg: number): void {
  const repos = s.u.packages[pkg]!.repos;
  if (ppkg >= 0) {
    s.pinningAllowed[pkg]! |= s.pinningAllowed[ppkg]!;
  } else {
    s.pinningAllowed[pkg]! |= s.pinningInherit;
    s.pinningPreferred[pkg] = s.pinningInherit;
    s.tagPreferred[pkg] = (repos & pinningRepos(s.u, s.pinningInherit)) !== 0 ? 1 : 0;
  }
  if (repos & pinningRepos(s.u, s.pinningAllowed[pkg]!)) s.tagOk[pkg] = 1;
}

/** apk `apply_constraint`; `ppkg` -1 means a world dependency. */
export function applyConstraint(s: SolveState, ppkg: number, dep: WorldDependency, name: number): void {
  if (!dep.conflict) {
    s.requirers[name]!++;
    if (s.requirers[name] === 1) nameRequirersChanged(s, name);
  }
  for (let pi = 0, ps = s.names[name]!.providers; pi < ps.length; pi++) {
    const p = ps[pi]!;
    const ok = isProvided(s, dep, p.pkg, p.version);
    if (!ok) {
      s.conflicts[p.pkg]!++;
      if (s.selectable[p.pkg]) disqualify(s, p.pkg, { reason: 'conflicting dependency', by: ppkg, dep });
    } else {
      inheritPinning(s, p.pkg, ppkg);
    }
  }
}

/** apk `exclude_non_providers`: "provides transitivity" (solver.md §3.4, T7). */
export function excludeNonProviders(
  s: SolveState,
  name: number,
  mustProvide: number,
  skipVirtuals: boolean,
): void {
  if (name === mustProvide) return;
  for (let pi = 0, ps = s.names[name]!.providers; pi < ps.length; pi++) {
    const p = ps[pi]!;
    const pkg = s.u.packages[p.pkg]!;
    if (pkg.name === mustProvide || !s.selectable[p.pkg] || (skipVirtuals && p.version === undefined))
      continue;
    const exempt = pkg.provides.some(
      (d) => d.name === mustProvide || (skipVirtuals && d.version === undefined),
    );
    if (exempt) continue;
    disqualify(s, p.pkg, { reason: 'provides transitivity', by: -2, names: [name, mustProvide] });
  }
}
