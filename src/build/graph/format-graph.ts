/** A recipe graph as text, JSON-ready data and Graphviz DOT, in build order. */
import type { RecipeGraph } from './recipe-graph.js';

/** One line per recipe in build order: `name version: dep dep` (nothing after `:` for a leaf). */
export function graphText(graph: RecipeGraph, order: readonly string[]): string {
  return order
    .map((name) => {
      const node = graph.byName.get(name);
      const deps = node?.dependsOn ?? [];
      return `${name} ${node?.version ?? ''}:${deps.map((d) => ` ${d}`).join('')}\n`;
    })
    .join('');
}

/** The graph as plain data: the order, and every recipe in it with its packages and edges. */
export function graphJson(graph: RecipeGraph, order: readonly string[]): unknown {
  return {
    order,
    recipes: order.map((name) => {
      const n = graph.byName.get(name);
      return {
        name,
        file: n?.file,
        version: n?.version,
        packages: n?.packages ?? [],
        provides: n?.provides ?? [],
        dependsOn: n?.dependsOn ?? [],
      };
    }),
  };
}

/** Graphviz DOT: one node per recipe and an edge from each recipe to what it depends on. */
export function graphDot(graph: RecipeGraph, order: readonly string[]): string {
  const q = (s: string) => JSON.stringify(s);
  const lines = ['digraph recipes {', '  rankdir=LR;'];
  for (const name of order) lines.push(`  ${q(name)};`);
  for (const name of order)
    for (const dep of graph.byName.get(name)?.dependsOn ?? []) lines.push(`  ${q(name)} -> ${q(dep)};`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
