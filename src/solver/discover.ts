/**
 * apk-tools `discover_name` (solver.md §3.1): initialises package state and numbers names in
 * post-order. The recursion order (dependencies, then reverse install_if edges, then provided
 * names) decides `order_id`, which decides which name is selected first (E21).
 *
 * Loops are indexed rather than for-of: a solve runs mostly before V8 optimizes it, and there
 * for-of costs an iterator call and a result object per step (about 3x slower, measured).
 */

import { rinstallIfOf } from './reverse-edges.js';
import type { SolveState } from './state.js';

function initPackage(s: SolveState, pkg: number): void {
  const p = s.u.packages[pkg]!;
  s.pkgSeen[pkg] = 1;
  s.pinningAllowed[pkg] = 1;
  s.pinningPreferred[pkg] = 1;
  const virtualMeta = p.source.installedSize === 0;
  // Every repository given to the solver is available, so only `I:0` matters beyond `repos`.
  s.selectable[pkg] = (p.repos & s.u.availableRepos) !== 0 || virtualMeta ? 1 : 0;
  s.iifFailed[pkg] = p.installIf.length === 0 ? 1 : 0;
  s.tagPreferred[pkg] = virtualMeta || (p.repos & s.defaultRepos) !== 0 ? 1 : 0;
  s.tagOk[pkg] = s.tagPreferred[pkg]!;
}

export function discoverName(s: SolveState, name: number): void {
  if (s.seen[name]) return;
  s.seen[name] = 1;
  s.noIif[name] = 1;
  const providers = s.names[name]!.providers;
  for (let pi = 0, ps = providers; pi < ps.length; pi++) {
    const p = ps[pi]!;
    if (!s.pkgSeen[p.pkg]) {
      initPackage(s, p.pkg);
      for (let di = 0, ds = s.u.packages[p.pkg]!.depends; di < ds.length; di++) {
        const d = ds[di]!;
        discoverName(s, d.name);
      }
    }
    s.noIif[name]! &= s.iifFailed[p.pkg]!;
  }
  for (let pi = 0, ps = providers; pi < ps.length; pi++) {
    const p = ps[pi]!;
    const pkg = s.u.packages[p.pkg]!;
    for (let ni = 0, ns = rinstallIfOf(s.u, pkg.name); ni < ns.length; ni++) {
      const n = ns[ni]!;
      discoverName(s, n);
    }
    for (let di = 0, ds = pkg.provides; di < ds.length; di++) {
      const d = ds[di]!;
      if (s.seen[d.name]) continue;
      discoverName(s, d.name);
      for (let ni = 0, ns = rinstallIfOf(s.u, d.name); ni < ns.length; ni++) {
        const n = ns[ni]!;
        discoverName(s, n);
      }
    }
  }
  s.orderId[name] = ++s.orderCounter;
}
