/** A directory of recipes compiled into its build graph. */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { LarderError } from '../../core/index.js';
import { type BuildPlan, type CompileOptions, compileRecipeFile } from '../compile/index.js';
import { buildRecipeGraph, type RecipeGraph } from './recipe-graph.js';

/**
 * The recipe files of a tree: `*.yaml` and `*.yml` directly in `dir` (as in Wolfi's
 * repository; subdirectories hold sources and patches), hidden files left out, sorted.
 * @throws LarderError IO when `dir` cannot be read, USAGE when it holds no recipe.
 */
export async function recipeFilesOf(dir: string): Promise<string[]> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    throw new LarderError('IO', `cannot read recipe directory ${dir}: ${(err as Error).message}`, {
      cause: err,
      subject: dir,
    });
  }
  const files = entries
    .filter((e) => e.isFile() && !e.name.startsWith('.') && /\.ya?ml$/.test(e.name))
    .map((e) => join(dir, e.name))
    .sort();
  if (files.length === 0)
    throw new LarderError('USAGE', `${dir}: no recipe (*.yaml) in the directory`, { subject: dir });
  return files;
}

/**
 * Compiles every recipe of `dir` for one arch and builds the graph.
 * @throws LarderError RECIPE_INVALID listing the problems of every recipe that does not
 *   compile (all of them, not only the first), or as `buildRecipeGraph` throws.
 */
export async function loadRecipeGraph(
  dir: string,
  options: CompileOptions,
): Promise<{ graph: RecipeGraph; plans: ReadonlyMap<string, BuildPlan> }> {
  const plans: BuildPlan[] = [];
  const problems: string[] = [];
  for (const file of await recipeFilesOf(dir)) {
    try {
      plans.push(await compileRecipeFile(file, options));
    } catch (err) {
      if (!(err instanceof LarderError) || err.code !== 'RECIPE_INVALID') throw err;
      problems.push(err.message);
    }
  }
  if (problems.length > 0)
    throw new LarderError(
      'RECIPE_INVALID',
      `${problems.length} recipe(s) in ${dir} do not compile:\n${problems.join('\n')}`,
      { subject: dir },
    );
  const graph = buildRecipeGraph(plans);
  return { graph, plans: new Map(plans.map((p) => [p.package.name, p])) };
}
