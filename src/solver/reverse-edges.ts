/**
 * Reverse edges (`rdepends`, `rinstall_if`) computed per name on first use and memoized in the
 * universe's cache; the memo is invisible to callers (the same answer every time).
 *
 * Loops are indexed rather than for-of: a solve runs mostly before V8 optimizes it, and there
 * for-of costs an iterator call and a result object per step (about 3x slower, measured).
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
  // 'load' is apk_db_pkg_rdepends's order: packages as added, own name then provides.
  if (u.edgeOrder === 'load') {
    const seen = new Set<number>();
    for (let idi = 0, ids = pkgs; idi < ids.length; idi++) {
      const id = ids[idi]!;
      const p = u.packages[id]!;
      seen.add(p.name);
      for (let di = 0, ds = p.provides; di < ds.length; di++) {
        const d = ds[di]!;
        seen.add(d.name);
      }
    }
    return [...seen];
  }
  const names: number[] = [];
  for (let idi = 0, ids = pkgs; idi < ids.length; idi++) {
    const id = ids[idi]!;
    const p = u.packages[id]!;
    names.push(p.name);
    for (let di = 0, ds = p.provides; di < ds.length; di++) {
      const d = ds[di]!;
      names.push(d.name);
    }
  }
  return inHashOrder(u, names);
}

/** Distinct `names` in apk's hash-walk order: ascending bucket, then descending id. */
export function inHashOrder(u: SolverUniverse, names: readonly number[]): number[] {
  // Each name becomes one number that sorts as (bucket ascending, id descending), so a native
  // typed-array sort does the work without a comparator: `so:libc` alone has ~5,000 walkers.
  const count = u.names.length;
  const keys = new Float64Array(names.length);
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    keys[i] = bucketOf(u, name) * count + (count - 1 - name);
  }
  keys.sort();
  const out: number[] = [];
  for (let i = 0; i < keys.length; i++) {
    if (i > 0 && keys[i] === keys[i - 1]) continue;
    out.push(count - 1 - (keys[i]! % count));
  }
  return out;
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
