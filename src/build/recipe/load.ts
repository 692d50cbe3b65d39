/** Reads a recipe file and parses it, throwing one RECIPE_INVALID error listing every problem. */
import { readFile } from 'node:fs/promises';
import { LarderError } from '../../core/index.js';
import { type ConfigIssue, formatIssue, sortIssues } from '../../image/index.js';
import { parseRecipe, type Recipe } from './parse.js';

/** Loads and validates `file`; throws RECIPE_INVALID (all problems) or IO. */
export async function loadRecipe(file: string): Promise<Recipe> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new LarderError('IO', `cannot read recipe ${file}: ${(err as Error).message}`, {
      subject: file,
      cause: err,
    });
  }
  const parsed = parseRecipe(text, file);
  if (parsed.recipe === undefined) throw recipeInvalid(file, parsed.issues);
  return parsed.recipe;
}

/** One RECIPE_INVALID error listing every issue, one per line after a summary line. */
export function recipeInvalid(file: string, issues: readonly ConfigIssue[]): LarderError {
  const sorted = sortIssues(issues);
  const count = sorted.length === 1 ? '1 problem' : `${sorted.length} problems`;
  return new LarderError(
    'RECIPE_INVALID',
    `invalid recipe ${file} (${count}):\n${sorted.map(formatIssue).join('\n')}`,
    {
      subject: file,
      cause: sorted,
    },
  );
}
