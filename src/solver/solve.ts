/**
 * `solve`: apk-tools 2.14 `apk add --simulate` into an empty root (solver.md §3): world set-up,
 * the greedy reconsider/select loop, the changeset, and the error explanation.
 */
import { type Changeset, generateChangeset, type WorldDep } from './changeset.js';
import { applyConstraint } from './constraints.js';
import { discoverName } from './discover.js';
import { explainFailure } from './explain.js';
import { reconsiderName } from './reconsider.js';
import { selectPackage } from './select.js';
import { newState, type SolveState } from './state.js';
import type { SolveOptions, SolveResult, SolverProblem } from './types.js';
import type { SolverUniverse, UniverseName } from './universe.js';
import type { WorldDependency } from './world-dependency.js';

/** apk caps the exit status at 99 (`src/apk.c main`). */
const MAX_EXIT_STATUS = 99;

/** C `strcasecmp` (ASCII folding) then `strcmp`: apk `apk_name_cmp_display`. */
export function compareNamesForDisplay(a: string, b: string): number {
  const la = a.replace(/[A-Z]/g, (c) => c.toLowerCase());
  const lb = b.replace(/[A-Z]/g, (c) => c.toLowerCase());
  if (la !== lb) return la < lb ? -1 : 1;
  return a === b ? 0 : a < b ? -1 : 1;
}

interface World {
  readonly deps: WorldDep[];
  readonly names: readonly UniverseName[];
  readonly flagged: readonly number[];
}

/** apk `add_main`: args replace base entries of the same name; every arg name is flagged. */
function buildWorld(
  u: SolverUniverse,
  args: readonly WorldDependency[],
  base: readonly WorldDependency[],
): World {
  const merged: WorldDependency[] = [...base];
  for (const dep of args) {
    const at = merged.findIndex((d) => d.name === dep.name);
    if (at >= 0) merged[at] = dep;
    else merged.push(dep);
  }
  merged.sort((a, b) => compareNamesForDisplay(a.name, b.name));
  const extra: UniverseName[] = [];
  const extraIds = new Map<string, number>();
  const idOf = (name: string): number => {
    const known = u.nameIds.get(name) ?? extraIds.get(name);
    if (known !== undefined) return known;
    const id = u.names.length + extra.length;
    extra.push({ name, providers: [] });
    extraIds.set(name, id);
    return id;
  };
  const deps = merged.map((dep) => ({ dep, name: idOf(dep.name) }));
  const flagged = args.map((dep) => idOf(dep.name));
  return { deps, names: extra.length === 0 ? u.names : [...u.names, ...extra], flagged };
}

/** apk `apk_db_check_world`: tags that name no repository refuse the commit (E25). */
function missingTags(u: SolverUniverse, deps: readonly WorldDep[]): SolverProblem[] {
  const problems: SolverProblem[] = [];
  for (const { dep } of deps) {
    if (dep.tag === undefined || u.tags.includes(`@${dep.tag}`)) continue;
    problems.push({ kind: 'missing-tag', tag: dep.tag, dependency: dep.name });
  }
  return problems;
}

function tagOf(u: SolverUniverse, dep: WorldDependency): number {
  return dep.tag === undefined ? 0 : u.tags.indexOf(`@${dep.tag}`);
}

function runSolver(s: SolveState, world: World): void {
  for (const id of world.flagged) s.flagsSet[id] = 1;
  for (const w of world.deps) discoverName(s, w.name);
  for (const w of world.deps) {
    s.pinningInherit = 1 << tagOf(s.u, w.dep);
    applyConstraint(s, -1, w.dep, w.name);
  }
  s.pinningInherit = 0;
  for (;;) {
    while (!s.dirty.isEmpty()) reconsiderName(s, s.dirty.popHead());
    const pick = nextName(s);
    if (pick < 0) break;
    selectPackage(s, pick);
  }
}

/** The main loop's choice: the fast path, else the minimum of `compare_name_dequeue`. */
function nextName(s: SolveState): number {
  let pick = -1;
  for (let n = s.unresolved.first(); n >= 0; n = s.unresolved.after(n)) {
    if (s.reverseDepsDone[n] && s.requirers[n]! > 0 && s.hasAutoSelectable[n] && !s.hasOptions[n]) return n;
    if (pick < 0 || compareNameDequeue(s, n, pick) < 0) pick = n;
  }
  return pick;
}

function compareNameDequeue(s: SolveState, a: number, b: number): number {
  const r = s.hasAutoSelectable[b]! - s.hasAutoSelectable[a]!;
  if (r !== 0) return r;
  const f = s.flagsSet[a]! - s.flagsSet[b]!;
  if (f !== 0) return -f;
  return s.orderId[b]! - s.orderId[a]!;
}

/** apk `get_tag`: the first tag allowed for the package that carries one of its repositories. */
function installTag(s: SolveState, pkg: number): string {
  const repos = s.u.packages[pkg]!.repos;
  for (let i = 0; i < s.u.tags.length; i++) {
    if (s.pinningAllowed[pkg]! & (1 << i) && s.u.tagRepos[i]! & repos)
      return i === 0 ? '' : s.u.tags[i]!.slice(1);
  }
  return '';
}

/**
 * Resolves `world` (the arguments of `apk add`, in order; a repeated name: the last wins)
 * against `universe` exactly as apk-tools 2.14 does into an empty root. Pure and
 * deterministic; the universe is not modified.
 */
export function solve(
  universe: SolverUniverse,
  world: readonly WorldDependency[],
  options: SolveOptions = {},
): SolveResult {
  const w = buildWorld(universe, world, options.baseWorld ?? []);
  const refused = missingTags(universe, w.deps);
  if (refused.length > 0)
    return { ok: false, exitStatus: MAX_EXIT_STATUS, problems: refused, install: [], installTags: [] };
  const s = newState(universe, w.names);
  s.defaultRepos = universe.tagRepos[0]!;
  runSolver(s, w);
  const cs: Changeset = generateChangeset(s, w.deps);
  const install = cs.install.map((id) => universe.packages[id]!.source);
  const installTags = cs.install.map((id) => installTag(s, id));
  if (s.errors === 0) return { ok: true, install, installTags };
  const problems = explainFailure(s, w.deps, cs);
  return { ok: false, exitStatus: Math.min(s.errors, MAX_EXIT_STATUS), problems, install, installTags };
}
