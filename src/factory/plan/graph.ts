/**
 * The build-dependency graph between workspace recipes: recipe A depends on recipe D when one of
 * A's `buildDepends` names is among D's `provides`. Names no workspace recipe provides come from
 * extra repositories and are not edges. A recipe needing a name it provides itself (a compiler
 * built with its previous release) bootstraps from the repository: not an edge either.
 */
import type { WorkspaceRecipe } from '../model.js';

export interface RecipeGraph {
  /** Per recipe name: the recipes it build-depends on, sorted, without itself. */
  readonly deps: ReadonlyMap<string, readonly string[]>;
  /** Recipe names, every recipe after the ones it depends on (cycle members together, sorted); deterministic. */
  readonly order: readonly string[];
  /** Each cycle (strongly connected component of two or more recipes), members sorted; cycles sorted by first member. */
  readonly cycles: readonly (readonly string[])[];
}

/** Builds the graph; recipes are taken by name (the workspace loader keeps names unique). */
export function recipeGraph(recipes: readonly WorkspaceRecipe[]): RecipeGraph {
  const providers = new Map<string, string[]>();
  for (const recipe of recipes) {
    for (const name of new Set([recipe.name, ...recipe.provides])) {
      const list = providers.get(name);
      if (list) list.push(recipe.name);
      else providers.set(name, [recipe.name]);
    }
  }
  const deps = new Map<string, readonly string[]>();
  for (const recipe of recipes) {
    const set = new Set<string>();
    for (const need of recipe.buildDepends) {
      for (const provider of providers.get(need) ?? []) if (provider !== recipe.name) set.add(provider);
    }
    deps.set(recipe.name, [...set].sort());
  }
  const names = [...deps.keys()].sort();
  const { order, cycles } = components(names, deps);
  return { deps, order, cycles };
}

/**
 * Tarjan's strongly connected components, iterative (deep chains must not overflow the stack).
 * It finishes a component only after every component it reaches, so emitting them in finish
 * order puts dependencies first.
 */
function components(
  names: readonly string[],
  deps: ReadonlyMap<string, readonly string[]>,
): { order: string[]; cycles: string[][] } {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const order: string[] = [];
  const cycles: string[][] = [];
  let next = 0;
  for (const root of names) {
    if (index.has(root)) continue;
    const frames: { node: string; child: number }[] = [{ node: root, child: 0 }];
    index.set(root, next);
    low.set(root, next++);
    stack.push(root);
    onStack.add(root);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1] as { node: string; child: number };
      const children = deps.get(frame.node) ?? [];
      if (frame.child < children.length) {
        const child = children[frame.child++] as string;
        if (!index.has(child)) {
          index.set(child, next);
          low.set(child, next++);
          stack.push(child);
          onStack.add(child);
          frames.push({ node: child, child: 0 });
        } else if (onStack.has(child)) {
          low.set(frame.node, Math.min(low.get(frame.node) as number, index.get(child) as number));
        }
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent)
        low.set(parent.node, Math.min(low.get(parent.node) as number, low.get(frame.node) as number));
      if (low.get(frame.node) !== index.get(frame.node)) continue;
      const members: string[] = [];
      for (;;) {
        const member = stack.pop() as string;
        onStack.delete(member);
        members.push(member);
        if (member === frame.node) break;
      }
      members.sort();
      order.push(...members);
      if (members.length > 1) cycles.push(members);
    }
  }
  cycles.sort((a, b) => compare(a[0] as string, b[0] as string));
  return { order, cycles };
}

/** Code-unit order (locale-independent, so plans are identical everywhere). */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
