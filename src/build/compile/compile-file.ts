/** Reads, parses and compiles one recipe file: the plan, or RECIPE_INVALID with every problem. */
import { readFile } from 'node:fs/promises';
import { LarderError } from '../../core/index.js';
import { recipeInvalid } from '../recipe/load.js';
import { parseRecipe } from '../recipe/parse.js';
import { type CompileOptions, compileRecipe } from './compile-recipe.js';
import type { BuildPlan } from './plan.js';

/** Compiles `file`; throws RECIPE_INVALID (all problems) or IO. */
export async function compileRecipeFile(file: string, options: CompileOptions): Promise<BuildPlan> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new LarderError('IO', `cannot read recipe ${file}: ${(err as Error).message}`, {
      subject: file,
      cause: err,
    });
  }
  return compileRecipeText(text, file, options);
}

/** Compiles a recipe's text; throws RECIPE_INVALID listing every problem. */
export function compileRecipeText(text: string, file: string, options: CompileOptions): BuildPlan {
  const parsed = parseRecipe(text, file);
  if (parsed.recipe === undefined) throw recipeInvalid(file, parsed.issues);
  const result = compileRecipe(parsed.recipe, options);
  if (result.plan === undefined) throw recipeInvalid(file, result.issues);
  return result.plan;
}
