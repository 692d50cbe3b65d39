/**
 * apk-tools `analyze_package` (src/commit.c): the block for one selected package, with its
 * `masked in:`, `conflicts:`, `breaks:` and (only when one of those is present) `satisfies:`
 * lines, each collected in apk's walk order.
 */
import { disqualifyDetail, packageRef, requirer } from './describe.js';
import { analyzeDep, type ExplainContext } from './explain-context.js';
import { rdependsOf } from './reverse-edges.js';
import type { SolverConflict, SolverRequirer } from './types.js';
import { pinningRepos } from './universe.js';

/** apk `get_tag`, as recorded in the change. */
function changeTag(x: ExplainContext, pkg: number): number {
  const { u } = x.s;
  const repos = u.packages[pkg]!.repos;
  for (let i = 0; i < u.tags.length; i++) {
    if (x.s.pinningAllowed[pkg]! & (1 << i) && u.tagRepos[i]! & repos) return i;
  }
  return 0;
}

/** apk `print_pinning_errors` (every repository is available, so never `--no-network`). */
function maskedIn(x: ExplainContext, pkg: number): string[] {
  const { u } = x.s;
  const repos = u.packages[pkg]!.repos;
  if (repos & pinningRepos(u, 1 | (1 << changeTag(x, pkg)))) return [];
  return u.tags.filter((_, i) => (repos & u.tagRepos[i]!) !== 0);
}

/** apk `print_conflicts`. */
function conflicts(x: ExplainContext, pkg: number): SolverConflict[] {
  const { s } = x;
  const p = s.u.packages[pkg]!;
  const out: SolverConflict[] = [];
  for (const q of s.names[p.name]!.providers) {
    if (q.pkg !== pkg && x.marked[q.pkg]) out.push({ package: packageRef(s, q.pkg) });
  }
  for (const d of p.provides) {
    let once = true;
    for (const q of s.names[d.name]!.providers) {
      if (!x.marked[q.pkg] || (d.version === undefined && q.version === undefined)) continue;
      if (once && q.pkg === pkg && q.version === d.version) {
        once = false;
        continue;
      }
      const provide =
        d.version === undefined ? s.names[d.name]!.name : `${s.names[d.name]!.name}=${d.version}`;
      out.push({ package: packageRef(s, q.pkg), provide });
    }
  }
  return out;
}

/** apk `print_deps`: world constraints, then reverse dependencies of every name it provides. */
function matchingDeps(x: ExplainContext, pkg: number, want: number): SolverRequirer[] {
  const { s } = x;
  const out: SolverRequirer[] = [];
  for (const w of x.world) if (analyzeDep(x, w.dep, w.name, pkg) === want) out.push(requirer(s, -1, w.dep));
  const visited = new Set<number>();
  const p = s.u.packages[pkg]!;
  for (const name of [p.name, ...p.provides.map((d) => d.name)]) {
    for (const n0 of rdependsOf(s.u, name)) {
      for (const q of s.names[n0]!.providers) {
        if (!x.marked[q.pkg] || visited.has(q.pkg)) continue;
        visited.add(q.pkg);
        for (const d of s.u.packages[q.pkg]!.depends) {
          if (analyzeDep(x, d.dep, d.name, pkg) === want) out.push(requirer(s, q.pkg, d.dep));
        }
      }
    }
  }
  return out;
}

export function analyzePackage(x: ExplainContext, pkg: number): void {
  const { s } = x;
  const masked = maskedIn(x, pkg);
  const clashes = conflicts(x, pkg);
  const breaks = matchingDeps(x, pkg, -1);
  if (masked.length === 0 && clashes.length === 0 && breaks.length === 0) return;
  const why = s.disqualified[pkg];
  x.problems.push({
    kind: 'package',
    package: packageRef(s, pkg),
    maskedIn: masked,
    conflicts: clashes,
    breaks,
    satisfies: matchingDeps(x, pkg, 1),
    ...(why === undefined ? {} : { disqualified: { reason: why.reason, detail: disqualifyDetail(s, pkg) } }),
  });
}
