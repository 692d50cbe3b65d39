/**
 * Reverse edges (`rdepends`, `rinstall_if`) computed per name on first use and memoized in the
 * universe's cache; the memo is invisible to callers (the same answer every time).
 */
import { nameBucket } from './name-hash.js';
import { NONE, type SolverUniverse } from './universe.js';

function bucketOf(u: SolverUniverse, name: number): number {
  let b = u.reverse.buckets[name]!;
  if (b < 0) {
    b = nameBucket(u.names[name]!.name);
    u.reverse.buckets[name] = b;
  }
  return b;
}

/**
 * apk `apk_db_name_rdepends` for one name: the names whose providers have an edge to it (a
 * package's own name and every name it provides), in apk's hash-walk order: ascending bucket,
 * most recently created name first within a bucket (`hlist_add_head`).
 */
function walkers(u: SolverUniverse, pkgs: readonly number[]): number[] {
  const seen = new Set<number>();
  for (const id of pkgs) {
    const p = u.packages[id]!;
    seen.add(p.name);
    for (const d of p.provides) seen.add(d.name);
  }
  // 'load' is apk_db_pkg_rdepends's order: packages as added, own name then provides.
  if (u.edgeOrder === 'load') return [...seen];
  return [...seen].sort((a, b) => bucketOf(u, a) - bucketOf(u, b) || b - a);
}

/** Names with a provider that depends on `name`, in apk's order (solver.md §5). */
export function rdependsOf(u: SolverUniverse, name: number): readonly number[] {
  if (name >= u.names.length) return NONE;
  let r = u.reverse.rdepends[name];
  if (r === undefined) {
    r = u.dependents[name]!.length === 0 ? NONE : walkers(u, u.dependents[name]!);
    u.reverse.rdepends[name] = r;
  }
  return r;
}

/** Names with a provider whose install_if mentions `name`, in apk's order. */
export function rinstallIfOf(u: SolverUniverse, name: number): readonly number[] {
  if (name >= u.names.length) return NONE;
  let r = u.reverse.rinstallIf[name];
  if (r === undefined) {
    r = u.iifDependents[name]!.length === 0 ? NONE : walkers(u, u.iifDependents[name]!);
    u.reverse.rinstallIf[name] = r;
  }
  return r;
}
