/** Recipe trees as build graphs: edges, build order, cycles, and building them all. */
export {
  type BuildAllEvent,
  type BuildAllOptions,
  type BuildAllResult,
  buildAll,
} from './build-all.js';
export { buildOrder, findCycle } from './build-order.js';
export { graphDot, graphJson, graphText } from './format-graph.js';
export { loadRecipeGraph, recipeFilesOf } from './load-tree.js';
export { buildRecipeGraph, dependencyName, type RecipeGraph, type RecipeNode } from './recipe-graph.js';
