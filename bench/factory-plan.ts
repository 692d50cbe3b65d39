// Planning time (issue 8, FACTORY.md "Scale": planning over the full Wolfi graph, ~3,400 recipes,
// and a 1,000-image estate must stay in seconds), against a floor measured in the same run: a
// plain topological sort (Kahn) of the same build graph, with the `provides` lookup it needs.
// The estate is synthetic and PRNG-seeded (test/unit/factory/plan/estate.ts: high fan-in toward
// core recipes, 1-8 build-deps each, two archs, images of 3-15 recipes). Scenarios:
//   cold     nothing built yet: every recipe planned, deps first;
//   mid-lib  everything published, then a recipe halfway down the graph changes;
//   core     then the most depended-on recipe changes and the feed refreshes: the transitive
//            rebuild of nearly everything plus 1,000 rescans;
//   settled  nothing to do (the steady-state wake-up cost);
//   compose  builds settled after a change: the recomposes.
//   node --import tsx bench/factory-plan.ts   (BENCH_RUNS, BENCH_SEED)
import type { WorkspaceRecipe } from '../src/factory/model.js';
import type { PlanInput } from '../src/factory/plan/index.js';
import { planWork } from '../src/factory/plan/index.js';
import { applyPlan, sha, syntheticEstate, toInput } from '../test/unit/factory/plan/estate.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const SEED = Number(process.env.BENCH_SEED ?? 42);
const RECIPES = 3400;
const IMAGES = 1000;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function timeMs(fn: () => void): number {
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return median(samples);
}

/** The floor: Kahn's algorithm over the same recipes (provides map, edges, sorted ready queue). */
function topologicalSort(recipes: readonly WorkspaceRecipe[]): string[] {
  const providers = new Map<string, string[]>();
  for (const r of recipes) {
    for (const name of [r.name, ...r.provides]) {
      const list = providers.get(name);
      if (list) list.push(r.name);
      else providers.set(name, [r.name]);
    }
  }
  const dependents = new Map<string, string[]>();
  const indegree = new Map<string, number>(recipes.map((r) => [r.name, 0]));
  for (const r of recipes) {
    const deps = new Set<string>();
    for (const need of r.buildDepends)
      for (const p of providers.get(need) ?? []) if (p !== r.name) deps.add(p);
    indegree.set(r.name, deps.size);
    for (const d of deps) {
      const list = dependents.get(d);
      if (list) list.push(r.name);
      else dependents.set(d, [r.name]);
    }
  }
  const ready = [...indegree]
    .filter(([, n]) => n === 0)
    .map(([name]) => name)
    .sort();
  const order: string[] = [];
  while (ready.length > 0) {
    const name = ready.shift() as string;
    order.push(name);
    for (const next of dependents.get(name) ?? []) {
      const n = (indegree.get(next) as number) - 1;
      indegree.set(next, n);
      if (n === 0) ready.push(next);
    }
  }
  return order;
}

const t0 = process.hrtime.bigint();
const estate = syntheticEstate(SEED, { recipes: RECIPES, images: IMAGES });
const recipes = estate.workspace.recipes;
const edges = recipes.reduce((n, r) => n + r.buildDepends.length, 0);
const scenarios: { name: string; input: PlanInput }[] = [];
scenarios.push({ name: 'cold', input: toInput(estate) });
// Reach the published steady state: builds, then composes.
for (let round = 0; round < 4; round++) {
  const plan = planWork(toInput(estate));
  if (plan.jobs.length === 0) break;
  applyPlan(estate, plan);
}
scenarios.push({ name: 'settled', input: toInput(estate) });
/** Changes one recipe's hash (and optionally the feed version) in the estate. */
function change(index: number, feedVersion: string): PlanInput {
  const changed = [...estate.workspace.recipes];
  changed[index] = { ...(changed[index] as WorkspaceRecipe), hash: sha(`change ${index}`) };
  estate.workspace = { ...estate.workspace, recipes: changed };
  estate.feedVersion = feedVersion;
  return toInput(estate);
}
scenarios.push({ name: 'mid-lib', input: change(RECIPES / 2, 'feed-1') });
const core = change(0, 'feed-2');
scenarios.push({ name: 'core', input: core });
applyPlan(estate, planWork(core));
scenarios.push({ name: 'compose', input: toInput(estate) });
const setupS = Number(process.hrtime.bigint() - t0) / 1e9;

const floor = timeMs(() => topologicalSort(recipes));
console.log(
  `factory plan: ${RECIPES} recipes (${edges} build-dep names, 2 archs), ${IMAGES} images, seed ${SEED}, median of ${RUNS}`,
);
console.log(`  estate set up in ${setupS.toFixed(1)} s`);
console.log(`  floor: topological sort of the recipe graph  ${floor.toFixed(1)} ms`);
for (const { name, input } of scenarios) {
  let jobs = 0;
  let held = 0;
  const ms = timeMs(() => {
    const plan = planWork(input);
    jobs = plan.jobs.length;
    held = plan.held.length;
  });
  console.log(
    `  ${name.padEnd(8)} ${ms.toFixed(1).padStart(7)} ms  ${(ms / floor).toFixed(1).padStart(5)}× floor  ${String(jobs).padStart(5)} jobs, ${held} held`,
  );
}
