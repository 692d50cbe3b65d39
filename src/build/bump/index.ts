/** `larder recipe bump`: a recipe moved to a new version, its source checksums refreshed in place. */
export { type BumpRecipeOptions, type BumpRecipeResult, bumpRecipe } from './bump-recipe.js';
export { applyEdits, removePair, replaceScalar, type TextEdit } from './text-edits.js';
