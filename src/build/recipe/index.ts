/** melange recipes: schema, parse-time substitutions, ranges, var-transforms, conditions. */
export { ConditionError, evaluateCondition } from './condition.js';
export { compileGoRegex, GoRegexError, goReplaceAll } from './go-regex.js';
export { loadRecipe, recipeInvalid } from './load.js';
export { type ParsedRecipe, parseRecipe, type Recipe } from './parse.js';
export type { PipelineStep } from './pipeline-schema.js';
export type { RecipeDependencies, RecipeFile, RecipeSubpackage, RecipeTest } from './schema.js';
export { SubstitutionError, substitute, substituteFrom, substituteQuoted } from './subst.js';
