/**
 * apk-tools `reconsider_name` (solver.md §3.4): the forward check, install_if triggering, the
 * merge of candidates' common dependencies and provides, and provides transitivity. The merge
 * counters reproduce apk's `merge_index` trick: a counter equals the number of candidates seen
 * so far exactly when every one of them had the name.
 *
 * Loops are indexed rather than for-of: a solve runs mostly before V8 optimizes it, and there
 * for-of costs an iterator call and a result object per step (about 3x slower, measured).
 */
import {
  applyConstraint,
  dependencySatisfiable,
  disqualify,
  excludeNonProviders,
  inheritPinning,
  isProvidedByChosen,
  nameRequirersChanged,
  queueUnresolved,
} from './constraints.js';
import { seenRdependsOf } from './seen-edges.js';
import type { SolveState } from './state.js';
import type { Provider } from './universe.js';

/** apk `is_provider_auto_selectable` (E5, E6, T4). */
export function isProviderAutoSelectable(s: SolveState, p: Provider): boolean {
  if (p.version !== undefined) return true;
  const pkg = s.u.packages[p.pkg]!;
  return pkg.priority !== 0 || s.requirers[pkg.name]! > 0;
}

function mergeIndex(counters: Int32Array, name: number, options: number): boolean {
  if (counters[name] !== options) return false;
  counters[name] = options + 1;
  return true;
}

function mergeIndexComplete(counters: Int32Array, name: number, options: number): boolean {
  const done = counters[name] === options;
  counters[name] = 0;
  return done;
}

/** Forward check and install_if update of one provider; false when it is not selectable. */
function checkProvider(s: SolveState, pkg: number, reevaluateDeps: boolean, reevaluateIif: boolean): boolean {
  const p = s.u.packages[pkg]!;
  if (reevaluateDeps) {
    if (!s.selectable[pkg]) return false;
    for (let di = 0, ds = p.depends; di < ds.length; di++) {
      const d = ds[di]!;
      if (!dependencySatisfiable(s, d.dep, d.name)) {
        disqualify(s, pkg, { reason: 'dependency no longer satisfiable', by: pkg, dep: d.dep });
        break;
      }
    }
  }
  if (!s.selectable[pkg]) return false;
  if (reevaluateIif && !s.iifTriggered[pkg] && !s.iifFailed[pkg]) {
    s.iifTriggered[pkg] = 1;
    for (let di = 0, ds = p.installIf; di < ds.length; di++) {
      const d = ds[di]!;
      if (!s.locked[d.name]) {
        s.iifTriggered[pkg] = 0;
        break;
      }
      if (!isProvidedByChosen(s, d.dep, d.name)) {
        s.iifTriggered[pkg] = 0;
        s.iifFailed[pkg] = 1;
        break;
      }
    }
  }
  if (reevaluateIif && s.iifTriggered[pkg]) {
    // A trigger locked to "nothing" (`!X`) passes -1: apk then treats it as a world constraint.
    for (let di = 0, ds = p.installIf; di < ds.length; di++) {
      const d = ds[di]!;
      inheritPinning(s, pkg, s.chosenPkg[d.name]!);
    }
  }
  return true;
}

export function reconsiderName(s: SolveState, name: number): void {
  const reevaluateDeps = s.reevaluateDeps[name] === 1;
  const reevaluateIif = s.reevaluateIif[name] === 1;
  s.reevaluateDeps[name] = 0;
  s.reevaluateIif[name] = 0;
  s.hasAutoSelectable[name] = 0;
  const providers = s.names[name]!.providers;
  let first = -1;
  let options = 0;
  let tagNotOk = 0;
  let hasIif = 0;
  let noIif = 1;
  for (let pi = 0, ps = providers; pi < ps.length; pi++) {
    const p = ps[pi]!;
    const pkg = s.u.packages[p.pkg]!;
    s.depsMerged[p.pkg] = 0;
    if (!checkProvider(s, p.pkg, reevaluateDeps, reevaluateIif)) continue;
    hasIif |= s.iifTriggered[p.pkg]!;
    noIif &= s.iifFailed[p.pkg]!;
    s.hasAutoSelectable[name]! |= s.iifTriggered[p.pkg]!;
    if (s.requirers[name] === 0) continue;

    s.depsMerged[p.pkg] = 1;
    if (first < 0) first = p.pkg;
    for (let di = 0, ds = pkg.depends; di < ds.length; di++) {
      const d = ds[di]!;
      if (!d.dep.conflict) mergeIndex(s.mergeDepends, d.name, options);
    }
    if (mergeIndex(s.mergeProvides, pkg.name, options) && p.version === undefined)
      s.hasVirtualProvides[pkg.name] = 1;
    for (let di = 0, ds = pkg.provides; di < ds.length; di++) {
      const d = ds[di]!;
      if (mergeIndex(s.mergeProvides, d.name, options) && d.version === undefined)
        s.hasVirtualProvides[d.name] = 1;
    }
    tagNotOk += s.tagOk[p.pkg] ? 0 : 1;
    options++;
    if (!s.hasAutoSelectable[name] && isProviderAutoSelectable(s, p)) s.hasAutoSelectable[name] = 1;
  }
  s.hasOptions[name] = options > 1 || tagNotOk > 0 ? 1 : 0;
  s.hasIif[name] = hasIif;
  s.noIif[name] = noIif;
  queueUnresolved(s, name);
  if (first >= 0) propagate(s, name, first, options);
  s.reverseDepsDone[name] = 1;
  for (let ni = 0, ns = seenRdependsOf(s, name); ni < ns.length; ni++) {
    const n = ns[ni]!;
    if (s.seen[n] && !s.locked[n]) {
      s.reverseDepsDone[name] = 0;
      break;
    }
  }
}

/** The second half of `reconsider_name`: push common constraints down to dependencies. */
function propagate(s: SolveState, name: number, first: number, options: number): void {
  for (let pi = 0, ps = s.names[name]!.providers; pi < ps.length; pi++) {
    const p = ps[pi]!;
    s.depsUsed[p.pkg] = s.depsMerged[p.pkg]!;
  }
  const pkg = s.u.packages[first]!;
  if (options === 1) {
    // FIXME upstream: reapplied on every reconsider, so requirers over-count (T9).
    for (let di = 0, ds = pkg.depends; di < ds.length; di++) {
      const d = ds[di]!;
      if (mergeIndexComplete(s.mergeDepends, d.name, options)) applyConstraint(s, first, d.dep, d.name);
    }
  } else {
    for (let di = 0, ds = pkg.depends; di < ds.length; di++) {
      const d = ds[di]!;
      if (mergeIndexComplete(s.mergeDepends, d.name, options) && s.requirers[d.name] === 0) {
        // A dependency name every candidate shares gets a requirer, but no version constraint.
        s.requirers[d.name]!++;
        nameRequirersChanged(s, d.name);
        for (let qi = 0, qs = s.names[d.name]!.providers; qi < qs.length; qi++) {
          const q = qs[qi]!;
          inheritPinning(s, q.pkg, first);
        }
      }
    }
  }
  if (mergeIndexComplete(s.mergeProvides, pkg.name, options)) {
    excludeNonProviders(s, pkg.name, name, s.hasVirtualProvides[pkg.name] === 1);
  }
  for (let di = 0, ds = pkg.provides; di < ds.length; di++) {
    const d = ds[di]!;
    if (mergeIndexComplete(s.mergeProvides, d.name, options)) {
      excludeNonProviders(s, d.name, name, s.hasVirtualProvides[d.name] === 1);
    }
  }
  s.hasVirtualProvides[pkg.name] = 0;
  for (let di = 0, ds = pkg.provides; di < ds.length; di++) {
    const d = ds[di]!;
    s.hasVirtualProvides[d.name] = 0;
  }
}
