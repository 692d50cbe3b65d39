/**
 * Rules 1 and 2 (docs/factory.md "Planning"): which recipes need a build on which arch, in an
 * order where build-deps come first, and which keys are blocked by an exhausted failure.
 */
import type { FactoryArch, WorkspaceRecipe } from '../model.js';
import type { RecipeGraph } from './graph.js';
import { buildKey, digest12, short12 } from './keys.js';
import type { RecordIndex } from './records.js';
import type { RepositoryIndex } from './repository.js';
import { timeMs } from './repository.js';
import type { PlanSink } from './sink.js';

/** Where a recipe stands on one arch after planning, as its dependents see it. */
type BuildState =
  | { readonly kind: 'queued'; readonly key: string; readonly inFlight: boolean }
  | { readonly kind: 'settled' }
  | { readonly kind: 'stuck'; readonly why: string };

/** Per arch, per recipe name: where each recipe stands so far. */
class ArchStates {
  private readonly byArch = new Map<FactoryArch, Map<string, BuildState>>();

  of(arch: FactoryArch): Map<string, BuildState> {
    let states = this.byArch.get(arch);
    if (!states) {
      states = new Map();
      this.byArch.set(arch, states);
    }
    return states;
  }

  set(arch: FactoryArch, name: string, state: BuildState): void {
    this.of(arch).set(name, state);
  }
}

export interface BuildContext {
  readonly recipes: readonly WorkspaceRecipe[];
  readonly graph: RecipeGraph;
  readonly repository: RepositoryIndex;
  readonly records: RecordIndex;
}

export function planBuilds(context: BuildContext, sink: PlanSink): void {
  const byName = new Map(context.recipes.map((recipe) => [recipe.name, recipe]));
  const states = new ArchStates();
  const inCycle = new Map<string, readonly string[]>();
  for (const cycle of context.graph.cycles) for (const member of cycle) inCycle.set(member, cycle);

  for (const name of context.graph.order) {
    const recipe = byName.get(name) as WorkspaceRecipe;
    const archs = [...new Set(recipe.archs)].sort();
    if (recipe.problem !== undefined) {
      sink.problems.push({ subject: `recipe:${name}`, message: recipe.problem });
      for (const arch of archs) states.set(arch, name, { kind: 'stuck', why: 'broken' });
      continue;
    }
    const cycle = inCycle.get(name);
    if (cycle) {
      sink.problems.push({
        subject: `recipe:${name}`,
        message: `build-dependency cycle: ${[...cycle, cycle[0]].join(' → ')}; none of its recipes is built`,
      });
      for (const arch of archs) states.set(arch, name, { kind: 'stuck', why: 'in a cycle' });
      continue;
    }
    for (const arch of archs) {
      states.set(arch, name, planOne(recipe, arch, context, states.of(arch), byName, sink));
    }
  }
}

function planOne(
  recipe: WorkspaceRecipe,
  arch: FactoryArch,
  context: BuildContext,
  states: ReadonlyMap<string, BuildState>,
  byName: ReadonlyMap<string, WorkspaceRecipe>,
  sink: PlanSink,
): BuildState {
  const version = `${recipe.version}-r${recipe.epoch}`;
  const origins = context.repository.get(arch);
  const own = origins?.get(recipe.name);
  const present = own?.byVersion.get(version);
  const reasons: string[] = [];
  if (!present) {
    reasons.push(own ? `new version ${version} (repository has ${own.latest.version})` : 'never built');
  } else if (present.recipeHash !== recipe.hash) {
    reasons.push(`recipe changed (${short12(present.recipeHash)} → ${short12(recipe.hash)})`);
  }
  const presentMs = present ? timeMs(present.builtAt) : 0;
  const after: string[] = [];
  const rebuilt: string[] = [];
  const waits: string[] = [];
  for (const dep of context.graph.deps.get(recipe.name) ?? []) {
    if (!byName.get(dep)?.archs.includes(arch)) continue;
    const state = states.get(dep);
    if (state?.kind === 'queued') {
      reasons.push(state.inFlight ? `build-dep ${dep} rebuilding` : `build-dep ${dep} rebuilt`);
      after.push(state.key);
      rebuilt.push(state.key);
      continue;
    }
    const depOrigin = origins?.get(dep);
    if (!depOrigin) {
      waits.push(
        `build-dep ${dep} has no package for ${arch}${state?.kind === 'stuck' ? ` (${state.why})` : ''}`,
      );
    } else if (present && depOrigin.latestMs > presentMs) {
      const latest = depOrigin.latest;
      reasons.push(`build-dep ${dep} rebuilt after it`);
      rebuilt.push(`${dep}@${latest.version}#${short12(latest.recipeHash)}@${latest.builtAt}`);
    }
  }
  if (reasons.length === 0) return { kind: 'settled' };
  const subject = `build:${recipe.name}/${arch}`;
  if (waits.length > 0) {
    sink.held.push({ subject, reason: `${reasons.join('; ')}; waits: ${waits.join('; ')}` });
    return { kind: 'stuck', why: 'held' };
  }
  // Only build-deps changed: the same version is built again, under a key of its own.
  const onlyDeps = present !== undefined && present.recipeHash === recipe.hash;
  const key = buildKey(recipe, arch, onlyDeps ? digest12([...rebuilt].sort()) : undefined);
  const job = {
    key,
    kind: 'build' as const,
    payload: {
      recipe: recipe.name,
      file: recipe.file,
      version: recipe.version,
      epoch: recipe.epoch,
      arch,
      recipeHash: recipe.hash,
    },
    ...(after.length > 0 ? { after: [...after].sort() } : {}),
  };
  const outcome = sink.offer(job, reasons, context.records.admit(key), `recipe:${recipe.name}`);
  switch (outcome) {
    case 'plan':
      return { kind: 'queued', key, inFlight: false };
    case 'in-flight':
      return { kind: 'queued', key, inFlight: true };
    case 'blocked':
      return { kind: 'stuck', why: 'blocked' };
    case 'stale':
      return { kind: 'settled' };
  }
}
