import { describe, expect, it } from 'vitest';
import type { WorkspaceRecipe } from '../../../../src/factory/model.js';
import type { PlanInput, PlanResult } from '../../../../src/factory/plan/index.js';
import { planWork, recipeGraph } from '../../../../src/factory/plan/index.js';
import type { Estate } from './estate.js';
import { applyPlan, HOUR, prng, sha, syntheticEstate, toInput } from './estate.js';

/** Every planned build's build-deps are up to date, planned before it (and in `after`), in flight, or reported. */
function checkOrder(input: PlanInput, plan: PlanResult): void {
  const keys = plan.jobs.map((j) => j.key);
  expect(new Set(keys).size).toBe(keys.length);
  const recipes = new Map(input.workspace.recipes.map((r) => [r.name, r]));
  const graph = recipeGraph(input.workspace.recipes);
  const position = new Map<string, number>();
  plan.jobs.forEach((job, i) => {
    if (job.kind === 'build') position.set(`${job.payload.recipe}/${job.payload.arch}`, i);
  });
  const reported = new Set([
    ...plan.problems.map((p) => p.subject),
    ...plan.blocked.map((b) => b.subject),
    ...plan.held.map((h) => h.subject),
  ]);
  plan.jobs.forEach((job, i) => {
    if (job.kind !== 'build') return;
    const arch = job.payload.arch as string;
    for (const dep of graph.deps.get(job.payload.recipe as string) ?? []) {
      const d = recipes.get(dep) as WorkspaceRecipe;
      if (!d.archs.includes(arch)) continue;
      const at = position.get(`${dep}/${arch}`);
      if (at !== undefined) {
        expect(at).toBeLessThan(i);
        expect(job.after).toContain(plan.jobs[at]?.key);
        continue;
      }
      const current = (input.repository[arch] ?? []).some(
        (p) => p.origin === dep && p.version === `${d.version}-r${d.epoch}` && p.recipeHash === d.hash,
      );
      const inFlight = (job.after ?? []).some(
        (key) => key.startsWith(`build:${dep}@`) && plan.inFlight.includes(key),
      );
      expect(
        current || inFlight || reported.has(`recipe:${dep}`) || reported.has(`build:${dep}/${arch}`),
      ).toBe(true);
    }
  });
}

/** Plans and applies until nothing is left; returns the plans. */
function converge(estate: Estate, fail: (plan: PlanResult) => Set<string> = () => new Set()): PlanResult[] {
  const plans: PlanResult[] = [];
  for (let round = 0; round < 6; round++) {
    const input = toInput(estate);
    const plan = planWork(input);
    checkOrder(input, plan);
    plans.push(plan);
    if (plan.jobs.length === 0) return plans;
    applyPlan(estate, plan, fail(plan));
  }
  throw new Error(`no fixed point after 6 rounds:\n${plans.at(-1)?.summary}`);
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

describe('planWork: properties over random graphs', () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`seed ${seed}: orders builds after their deps and reaches a fixed point (builds, then composes, then nothing)`, () => {
      const estate = syntheticEstate(seed, { recipes: 150, images: 30, backEdges: seed % 2 === 0 ? 3 : 0 });
      const plans = converge(estate);
      expect(plans.map((p) => p.jobs.length > 0)).toEqual([true, true, false]);
      expect(plans[1]?.jobs.some((j) => j.kind === 'build')).toBe(false);
      expect(plans[1]?.jobs.filter((j) => j.kind === 'compose').length).toBeGreaterThan(0);
      expect(planWork(toInput(estate)).jobs).toEqual([]);

      // A changed recipe: it and what depends on it rebuild, then the images holding them recompose.
      const index = estate.workspace.recipes.findIndex((r) => r.name === 'pkg0003');
      const recipes = [...estate.workspace.recipes];
      recipes[index] = { ...(recipes[index] as WorkspaceRecipe), hash: sha(`changed:${seed}`) };
      estate.workspace = { ...estate.workspace, recipes };
      const after = converge(estate);
      const rebuilt = new Set(after[0]?.jobs.map((j) => j.payload.recipe));
      const graph = recipeGraph(recipes);
      const cyclic = new Set(graph.cycles.flat());
      if (!cyclic.has('pkg0003')) expect(rebuilt.has('pkg0003')).toBe(true);
      for (const r of recipes) {
        if (cyclic.has(r.name) || !(graph.deps.get(r.name) ?? []).some((d) => rebuilt.has(d))) continue;
        expect(rebuilt.has(r.name)).toBe(true);
      }
      expect(after.at(-1)?.jobs).toEqual([]);
    });
  }

  it('blocks exhausted failures, re-plans nothing for them, and still converges', () => {
    const estate = syntheticEstate(11, { recipes: 120, images: 20 });
    const random = prng(99);
    const failing = new Set<string>();
    const plans = converge(estate, (plan) => {
      const out = new Set<string>();
      for (const job of plan.jobs) if (job.kind === 'build' && random() < 0.05) out.add(job.key);
      return out;
    });
    for (const job of estate.jobs.values()) if (job.status === 'failed') failing.add(job.key);
    expect(failing.size).toBeGreaterThan(0);
    const last = plans.at(-1) as PlanResult;
    expect(last.jobs).toEqual([]);
    for (const key of failing) expect(last.blocked.map((b) => b.key)).toContain(key);
    // Composes were not held forever by builds queued behind the failures.
    expect(plans.some((p) => p.jobs.some((j) => j.kind === 'compose'))).toBe(true);
  });

  it('rescans every published image after a feed refresh and on the schedule, then settles', () => {
    const estate = syntheticEstate(12, { recipes: 60, images: 15 });
    converge(estate);
    estate.feedVersion = 'feed-2';
    const refresh = converge(estate);
    expect(refresh[0]?.jobs.filter((j) => j.kind === 'rescan')).toHaveLength(15);
    estate.now += 24 * HOUR;
    const scheduled = converge(estate);
    expect(scheduled[0]?.jobs.filter((j) => j.kind === 'rescan')).toHaveLength(15);
    expect(scheduled[0]?.jobs.filter((j) => j.kind === 'update-check').length).toBeGreaterThan(0);
    expect(scheduled).toHaveLength(2);
  });

  it('is deterministic: input order does not change the plan', () => {
    const estate = syntheticEstate(21, { recipes: 200, images: 40, backEdges: 4 });
    converge(estate);
    const recipes = estate.workspace.recipes.map((r, i) => (i % 7 === 0 ? { ...r, hash: sha(`x${i}`) } : r));
    estate.workspace = { ...estate.workspace, recipes };
    estate.feedVersion = 'feed-9';
    const input = toInput(estate);
    const plan = planWork(input);
    const random = prng(5);
    for (let i = 0; i < 3; i++) {
      const mixed: PlanInput = {
        ...input,
        workspace: {
          ...input.workspace,
          recipes: shuffled(input.workspace.recipes, random),
          images: shuffled(input.workspace.images, random),
        },
        repository: Object.fromEntries(
          shuffled(Object.entries(input.repository), random).map(([a, l]) => [a, shuffled(l, random)]),
        ),
        jobs: shuffled(input.jobs, random),
        images: Object.fromEntries(shuffled(Object.entries(input.images), random)),
      };
      expect(planWork(mixed)).toEqual(plan);
    }
  });
});
