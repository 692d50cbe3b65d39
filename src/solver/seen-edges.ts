/**
 * `rdepends` as the solve loop reads it. `reconsider_name` and `reevaluate_reverse_deps` skip
 * names that were never discovered (`seen`), and discovery is over before the loop starts, so
 * the loop only needs each list's discovered names, in the same order. Building those from
 * the discovered names' providers touches a few thousand edges, where the full lists of
 * popular names (`so:libc.musl-aarch64.so.1` has ~5,000 walkers) would each be hashed and
 * sorted.
 *
 * Loops are indexed rather than for-of: a solve runs mostly before V8 optimizes it, and there
 * for-of costs an iterator call and a result object per step (about 3x slower, measured).
 */
import { inHashOrder, rdependsOf } from './reverse-edges.js';
import type { SolveState } from './state.js';
import { NONE } from './universe.js';

/** `rdependsOf(s.u, name)` without the names not discovered; call only once discovery is over. */
export function seenRdependsOf(s: SolveState, name: number): readonly number[] {
  if (s.u.edgeOrder === 'hash') {
    s.seenRdepends ??= indexSeenRdepends(s);
    return s.seenRdepends[name] ?? NONE;
  }
  // 'load' order (upstream's test harness) follows package order: filter the full list.
  s.seenRdepends ??= [];
  let r = s.seenRdepends[name];
  if (r === undefined) {
    r = rdependsOf(s.u, name).filter((n) => s.seen[n] === 1);
    s.seenRdepends[name] = r;
  }
  return r;
}

/**
 * Per name, the discovered names with a provider that has a `D:` entry on it, in apk's hash
 * order: the walker relation of reverse-edges.ts, inverted from the walker side.
 */
function indexSeenRdepends(s: SolveState): Array<readonly number[] | undefined> {
  const u = s.u;
  const lists: number[][] = [];
  const targets: number[] = [];
  const count = Math.min(s.names.length, u.names.length);
  for (let n = 0; n < count; n++) {
    if (s.seen[n] !== 1) continue;
    for (let qi = 0, qs = u.names[n]!.providers; qi < qs.length; qi++) {
      const q = qs[qi]!;
      for (let di = 0, ds = u.packages[q.pkg]!.depends; di < ds.length; di++) {
        const d = ds[di]!;
        const list = lists[d.name];
        if (list === undefined) {
          lists[d.name] = [n];
          targets.push(d.name);
        } else if (list[list.length - 1] !== n) {
          list.push(n);
        }
      }
    }
  }
  const out: Array<readonly number[] | undefined> = [];
  for (let targeti = 0; targeti < targets.length; targeti++) {
    const target = targets[targeti]!;
    out[target] = inHashOrder(u, lists[target]!);
  }
  return out;
}
