/** What the recipe tests import from the build module, in one place. */
export {
  compileGoRegex,
  compileRecipe,
  compileRecipeFile,
  compileRecipeText,
  evaluateCondition,
  goReplaceAll,
  PipelineLibrary,
  parsePipelineFile,
  parseRecipe,
  pipelineLibrary,
} from '../../../src/build/index.js';

/** True for a LarderError (code and message). */
export function isLarderErrorLike(err: unknown): err is Error & { code: string } {
  return err instanceof Error && 'code' in err && err.name === 'LarderError';
}
