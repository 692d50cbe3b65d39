/**
 * apk-tools' decision step (solver.md §3.4): `compare_providers`, `select_package` and
 * `assign_name`. The flag-dependent steps of `compare_providers` (REMOVE, LATEST, AVAILABLE,
 * INSTALLED, self-upgrade) cannot fire for `apk add` into an empty root and are left out; the
 * order of the remaining steps is apk's.
 *
 * Loops are indexed rather than for-of: a solve runs mostly before V8 optimizes it, and there
 * for-of costs an iterator call and a result object per step (about 3x slower, measured).
 */
import { apkVersionCompare, VERSION_GREATER, VERSION_LESS } from '../apk/index.js';
import {
  applyConstraint,
  disqualify,
  reevaluateReverseDeps,
  reevaluateReverseInstallIf,
  reevaluateReverseInstallIfPkg,
} from './constraints.js';
import { isProviderAutoSelectable } from './reconsider.js';
import { markError, type SolveState } from './state.js';
import type { Provider } from './universe.js';

/** C `ffs`: 1-based index of the lowest set bit, 0 for none. */
function ffs(mask: number): number {
  return mask === 0 ? 0 : 32 - Math.clz32(mask & -mask);
}

/** Strict LESS/GREATER as -1/1; EQUAL and "unordered" (null versions) as 0. */
function versionOrder(a: string | undefined, b: string | undefined): number {
  const r = apkVersionCompare(a, b);
  if (r === VERSION_LESS) return -1;
  if (r === VERSION_GREATER) return 1;
  return 0;
}

/** apk `compare_providers`: > 0 when `a` is better than `b` (`b` null = nothing chosen yet). */
export function compareProviders(s: SolveState, a: Provider, b: Provider | null): number {
  if (b === null) return 1;
  const pa = a.pkg;
  const pb = b.pkg;
  const A = s.u.packages[pa]!;
  const B = s.u.packages[pb]!;
  // Sequential tests rather than an array of differences: this runs for every candidate pair.
  const r =
    s.selectable[pa]! - s.selectable[pb]! ||
    s.depsUsed[pa]! - s.depsUsed[pb]! ||
    s.conflicts[pb]! - s.conflicts[pa]! ||
    s.tagOk[pa]! - s.tagOk[pb]! ||
    s.tagPreferred[pa]! - s.tagPreferred[pb]!;
  if (r !== 0) return r;
  // Version of the requested name (the provided version), then of the package itself.
  const byProvided = versionOrder(a.version, b.version);
  if (byProvided !== 0) return byProvided;
  if (A.name === B.name) {
    const byOwn = versionOrder(A.source.version, B.source.version);
    if (byOwn !== 0) return byOwn;
  }
  const byPriority = A.priority - B.priority || s.selectable[pa]! - s.selectable[pb]!;
  if (byPriority !== 0) return byPriority;
  return ffs(B.repos) - ffs(A.repos);
}

/** apk `assign_name`; `pkg` -1 locks the name to "nothing". */
export function assignName(s: SolveState, name: number, pkg: number, version: string | undefined): void {
  if (s.locked[name]) {
    // Several unversioned providers may coexist (E13); anything else is a clash (E15).
    if (version === undefined && s.chosenVersion[name] === undefined) return;
    markError(s, pkg);
    markError(s, s.chosenPkg[name]!);
    return;
  }
  s.locked[name] = 1;
  s.chosenPkg[name] = pkg;
  s.chosenVersion[name] = version;
  if (s.unresolved.has(name)) s.unresolved.remove(name);
  if (s.dirty.has(name)) s.dirty.remove(name);
  for (let pi = 0, ps = s.names[name]!.providers; pi < ps.length; pi++) {
    const p = ps[pi]!;
    if (p.pkg === pkg || (version === undefined && p.version === undefined)) continue;
    disqualify(s, p.pkg, { reason: 'conflicting provides', by: pkg, names: [name, name] });
  }
  reevaluateReverseDeps(s, name);
  if (pkg >= 0) reevaluateReverseInstallIfPkg(s, pkg);
  else reevaluateReverseInstallIf(s, name);
}

/** apk `select_package`. */
export function selectPackage(s: SolveState, name: number): void {
  let chosen: Provider | null = null;
  if (s.requirers[name]! > 0 || s.hasIif[name]) {
    for (let pi = 0, ps = s.names[name]!.providers; pi < ps.length; pi++) {
      const p = ps[pi]!;
      // Without requirers only a triggered install_if package that is allowed may be picked.
      if (s.requirers[name] === 0 && (!s.iifTriggered[p.pkg] || !s.tagOk[p.pkg] || !s.selectable[p.pkg]))
        continue;
      if (!isProviderAutoSelectable(s, p)) continue;
      if (compareProviders(s, p, chosen) > 0) chosen = p;
    }
  }
  if (chosen === null) {
    assignName(s, name, -1, undefined);
    if (s.requirers[name]! > 0) s.errors++;
    return;
  }
  const pkg = s.u.packages[chosen.pkg]!;
  // A broken or pin-masked package is still chosen and locked; that is how errors get reported.
  if (!s.selectable[pkg.id] || !s.tagOk[pkg.id]) markError(s, pkg.id);
  assignName(s, pkg.name, pkg.id, pkg.source.version);
  for (let di = 0, ds = pkg.provides; di < ds.length; di++) {
    const d = ds[di]!;
    assignName(s, d.name, pkg.id, d.version);
  }
  for (let di = 0, ds = pkg.depends; di < ds.length; di++) {
    const d = ds[di]!;
    applyConstraint(s, pkg.id, d.dep, d.name);
  }
}
