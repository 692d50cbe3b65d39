/**
 * Topological build order of a recipe graph: dependencies first, ties broken by name so the
 * order never depends on the file system; a cycle is reported with its recipes in order.
 */
import { LarderError } from '../../core/index.js';
import type { RecipeGraph } from './recipe-graph.js';

/**
 * The recipes in build order: each after everything it depends on, and among the recipes
 * ready at the same time the smallest name first (Kahn's algorithm over a sorted ready list).
 * @throws LarderError RECIPE_CYCLE naming the recipes of one cycle, e.g. `a → b → c → a`.
 */
export function buildOrder(graph: RecipeGraph): string[] {
  const waiting = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const node of graph.nodes) {
    waiting.set(node.name, node.dependsOn.length);
    for (const dep of node.dependsOn) dependents.set(dep, [...(dependents.get(dep) ?? []), node.name]);
  }
  const ready = graph.nodes.filter((n) => n.dependsOn.length === 0).map((n) => n.name);
  const order: string[] = [];
  while (ready.length > 0) {
    const next = ready.shift() as string;
    order.push(next);
    for (const d of dependents.get(next) ?? []) {
      const left = (waiting.get(d) ?? 0) - 1;
      waiting.set(d, left);
      if (left === 0) insertSorted(ready, d);
    }
  }
  if (order.length < graph.nodes.length) {
    const cycle = findCycle(graph, new Set(order));
    throw new LarderError('RECIPE_CYCLE', `dependency cycle between recipes: ${cycle.join(' → ')}`, {
      subject: cycle[0] ?? '',
    });
  }
  return order;
}

function insertSorted(list: string[], name: string): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((list[mid] as string) < name) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, name);
}

/**
 * One cycle among the recipes not in `done` (each of which waits on another of them), first
 * recipe repeated at the end: the walk starts at the smallest name and follows the smallest
 * unfinished dependency until a recipe repeats.
 */
export function findCycle(graph: RecipeGraph, done: ReadonlySet<string>): string[] {
  const start = graph.nodes.find((n) => !done.has(n.name));
  if (start === undefined) return [];
  const path: string[] = [];
  const at = new Map<string, number>();
  let current = start.name;
  while (!at.has(current)) {
    at.set(current, path.length);
    path.push(current);
    const node = graph.byName.get(current);
    const next = node?.dependsOn.find((d) => !done.has(d));
    if (next === undefined) return path; // cannot happen: every unfinished recipe waits on one
    current = next;
  }
  return [...path.slice(at.get(current)), current];
}
