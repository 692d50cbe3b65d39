/**
 * apk-tools `apk_solver_print_errors` (src/commit.c) as data: which names are missing, and
 * which selected packages are broken and why, walked in apk's order so {@link renderProblems}
 * prints what apk prints. The walk first marks names reachable from the world as present,
 * virtual-only or install_if-present, exactly like apk's `discover_name` in commit.c.
 */
import type { Changeset, WorldDep } from './changeset.js';
import { candidateVerdict, dependencyText, packageRef, packageText, requirer } from './describe.js';
import type { ExplainContext } from './explain-context.js';
import { analyzePackage } from './explain-package.js';
import { rdependsOf, rinstallIfOf } from './reverse-edges.js';
import type { SolveState } from './state.js';
import type { SolverProblem, SolverRequirer } from './types.js';
import type { WorldDependency } from './world-dependency.js';

const PRESENT = 0x8000_0000 | 0;
const MISSING = 0x4000_0000;
const VIRTUAL_ONLY = 0x2000_0000;
const INSTALLIF = 0x1000_0000;

function isNameConcrete(x: ExplainContext, pkg: number, name: number): boolean {
  const p = x.s.u.packages[pkg]!;
  return p.name === name || p.provides.some((d) => d.name === name && d.version !== undefined);
}

function discoverName(x: ExplainContext, name: number, state0: number): void {
  for (const p of x.s.names[name]!.providers) {
    if (!x.marked[p.pkg]) continue;
    const pkg = x.s.u.packages[p.pkg]!;
    let state = state0;
    if ((state === PRESENT || state === INSTALLIF) && pkg.priority === 0 && !isNameConcrete(x, p.pkg, name)) {
      state = VIRTUAL_ONLY;
    }
    if (x.pkgState[p.pkg]! & state) continue;
    x.pkgState[p.pkg]! |= state;
    x.nameState[pkg.name]! |= state;
    for (const d of pkg.provides) {
      x.nameState[d.name]! |= state === INSTALLIF && d.version === undefined ? VIRTUAL_ONLY : state;
    }
    discoverDeps(x, pkg.depends);
    if (state === PRESENT || state === INSTALLIF) {
      discoverReverseIif(x, pkg.name);
      for (const d of pkg.provides) discoverReverseIif(x, d.name);
    }
  }
}

function discoverDeps(
  x: ExplainContext,
  deps: ReadonlyArray<{ readonly dep: WorldDependency; readonly name: number }>,
): void {
  for (const d of deps) if (!d.dep.conflict) discoverName(x, d.name, PRESENT);
}

function discoverReverseIif(x: ExplainContext, name: number): void {
  for (const n0 of rinstallIfOf(x.s.u, name)) {
    for (const p of x.s.names[n0]!.providers) {
      const pkg = x.s.u.packages[p.pkg]!;
      if (!x.marked[p.pkg] || pkg.installIf.length === 0) continue;
      const ok = pkg.installIf.every(
        (d) => d.dep.conflict !== ((x.nameState[d.name]! & (PRESENT | INSTALLIF)) !== 0),
      );
      if (!ok) continue;
      discoverName(x, pkg.name, INSTALLIF);
      for (const d of pkg.provides) discoverName(x, d.name, INSTALLIF);
    }
  }
}

function analyzeDeps(
  x: ExplainContext,
  deps: ReadonlyArray<{ readonly dep: WorldDependency; readonly name: number }>,
): void {
  for (const d of deps) {
    if (d.dep.conflict || x.nameState[d.name]! & (INSTALLIF | PRESENT | MISSING)) continue;
    x.nameState[d.name]! |= MISSING;
    analyzeMissingName(x, d.name);
  }
}

/** `provided by:` words: a bare name once all of its providers are listed, else `name-ver`. */
function providedBy(x: ExplainContext, name: number): string[] {
  const words: string[] = [];
  const refs = new Map<number, number>();
  const providers = x.s.names[name]!.providers;
  for (const p of providers) {
    const own = x.s.u.packages[p.pkg]!.name;
    refs.set(own, (refs.get(own) ?? 0) + 1);
  }
  for (const p of providers) {
    const own = x.s.u.packages[p.pkg]!.name;
    const count = refs.get(own) ?? 0;
    if (count === x.s.names[own]!.providers.length) {
      words.push(x.s.names[own]!.name);
      refs.set(own, 0);
    } else if (count > 0) {
      words.push(packageText(x.s, p.pkg));
      refs.set(own, count - 1);
    }
  }
  return words;
}

function requiredBy(x: ExplainContext, name: number): SolverRequirer[] {
  const out: SolverRequirer[] = [];
  for (const w of x.world) if (w.name === name && !w.dep.conflict) out.push(requirer(x.s, -1, w.dep));
  const visited = new Set<number>();
  for (const n0 of rdependsOf(x.s.u, name)) {
    for (const p of x.s.names[n0]!.providers) {
      if (!x.marked[p.pkg] || visited.has(p.pkg)) continue;
      visited.add(p.pkg);
      const d = x.s.u.packages[p.pkg]!.depends.find((e) => e.name === name && !e.dep.conflict);
      if (d !== undefined) out.push(requirer(x.s, p.pkg, d.dep));
      // apk's loop ends after the first marked, unvisited provider of each name (its `d0 != NULL`).
      break;
    }
  }
  return out;
}

function analyzeMissingName(x: ExplainContext, name: number): void {
  const n = x.s.names[name]!;
  if (n.providers.length === 0) {
    x.problems.push({ kind: 'no-such-package', name: n.name, requiredBy: requiredBy(x, name) });
    return;
  }
  const by = providedBy(x, name);
  const candidates = n.providers.map((p) => ({
    package: packageRef(x.s, p.pkg),
    ...(p.version === undefined ? {} : { providedVersion: p.version }),
    verdict: candidateVerdict(x.s, p),
  }));
  x.problems.push({
    kind: 'virtual',
    name: n.name,
    providedBy: by,
    candidates,
    requiredBy: requiredBy(x, name),
  });
}

/** Builds the problem list for a failed solve. */
export function explainFailure(s: SolveState, world: readonly WorldDep[], cs: Changeset): SolverProblem[] {
  const marked = new Uint8Array(s.u.packages.length);
  for (const id of cs.install) marked[id] = 1;
  const x: ExplainContext = {
    s,
    world,
    marked,
    nameState: new Int32Array(s.names.length),
    pkgState: new Int32Array(s.u.packages.length),
    problems: [],
  };
  discoverDeps(x, world);
  analyzeDeps(x, world);
  for (const id of cs.install) {
    analyzePackage(x, id);
    analyzeDeps(x, s.u.packages[id]!.depends);
  }
  for (const f of cs.faults) {
    const chosen = s.chosenPkg[f.name]!;
    x.problems.push({
      kind: 'unfulfilled-dependency',
      package: packageRef(s, f.pkg),
      dependency: dependencyText(f.dep),
      ...(chosen >= 0 ? { chosen: packageRef(s, chosen) } : {}),
      propagated: f.propagated,
    });
  }
  return x.problems;
}
