/** `larder recipe test`: a recipe's test sections run against the built packages. */
export {
  type PackageVerdict,
  type TestRecipeOptions,
  type TestRecipeResult,
  testRecipe,
} from './test-recipe.js';
export { failureOf } from './verdict.js';
