/**
 * Builds a recipe graph in order with bounded parallelism: a recipe starts once every recipe
 * it depends on is built or skipped; after the first failure nothing new starts, the running
 * builds finish, and the result says which recipes failed and which were never built.
 */
import type { RecipeGraph, RecipeNode } from './recipe-graph.js';

/** What the scheduler reports as it goes. */
export type BuildAllEvent =
  | { readonly kind: 'start' | 'built' | 'skipped'; readonly recipe: string }
  | { readonly kind: 'failed'; readonly recipe: string; readonly error: unknown };

export interface BuildAllOptions {
  readonly graph: RecipeGraph;
  /** The build order (`buildOrder(graph)`): among ready recipes, earlier ones start first. */
  readonly order: readonly string[];
  /** Builds at most this many recipes at once (at least 1). */
  readonly jobs: number;
  /** True when the recipe's packages are already published: it is skipped, not built. */
  readonly isBuilt: (node: RecipeNode) => boolean;
  /** Builds one recipe; a rejection is its failure. */
  readonly build: (node: RecipeNode) => Promise<void>;
  readonly onEvent?: (event: BuildAllEvent) => void;
}

/** How a run ended; every recipe is in exactly one list, each in build order. */
export interface BuildAllResult {
  readonly built: readonly string[];
  readonly skipped: readonly string[];
  readonly failed: ReadonlyArray<{ readonly recipe: string; readonly error: unknown }>;
  readonly notBuilt: readonly string[];
}

/** Runs the builds; never rejects because a build failed (see `failed`). */
export async function buildAll(options: BuildAllOptions): Promise<BuildAllResult> {
  const emit = options.onEvent ?? (() => {});
  const jobs = Math.max(1, Math.floor(options.jobs));
  const done = new Set<string>();
  const started = new Set<string>();
  const built: string[] = [];
  const skipped: string[] = [];
  const failed: { recipe: string; error: unknown }[] = [];
  const running = new Map<string, Promise<void>>();

  const ready = (name: string): boolean =>
    (options.graph.byName.get(name)?.dependsOn ?? []).every((d) => done.has(d));

  for (;;) {
    // Skipped recipes finish at once and may make others ready: settle them first.
    let progressed = true;
    while (progressed && failed.length === 0) {
      progressed = false;
      for (const name of options.order) {
        if (started.has(name) || !ready(name)) continue;
        const node = options.graph.byName.get(name);
        if (node === undefined || !options.isBuilt(node)) continue;
        started.add(name);
        done.add(name);
        skipped.push(name);
        emit({ kind: 'skipped', recipe: name });
        progressed = true;
      }
    }
    if (failed.length === 0) {
      for (const name of options.order) {
        if (running.size >= jobs) break;
        if (started.has(name) || !ready(name)) continue;
        const node = options.graph.byName.get(name);
        if (node === undefined) continue;
        started.add(name);
        emit({ kind: 'start', recipe: name });
        const run = options.build(node).then(
          () => {
            done.add(name);
            built.push(name);
            emit({ kind: 'built', recipe: name });
          },
          (error: unknown) => {
            failed.push({ recipe: name, error });
            emit({ kind: 'failed', recipe: name, error });
          },
        );
        running.set(
          name,
          run.finally(() => running.delete(name)),
        );
      }
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }
  const rank = new Map(options.order.map((n, i) => [n, i]));
  const byOrder = (a: string, b: string) => (rank.get(a) ?? 0) - (rank.get(b) ?? 0);
  return {
    built: built.sort(byOrder),
    skipped: skipped.sort(byOrder),
    failed: failed.sort((a, b) => byOrder(a.recipe, b.recipe)),
    notBuilt: options.order.filter((n) => !started.has(n)),
  };
}
