/** Recipe → build plan: `uses:` expansion, inputs, substitutions, conditions. */
export { BUILD_ARCH_NAMES, buildArch, hostBuildArch } from './arch.js';
export { compileRecipeFile, compileRecipeText } from './compile-file.js';
export { type CompileOptions, type CompileResult, compileRecipe } from './compile-recipe.js';
export { pipelineLibrary } from './default-library.js';
export type { PackageMetadata } from './metadata.js';
export { parsePipelineFile } from './pipeline-file.js';
export { PipelineLibrary } from './pipeline-library.js';
export type {
  BuildPlan,
  PackagePlan,
  PlanAccounts,
  PlanStep,
  ShellStep,
  SourceStep,
  TestPlan,
} from './plan.js';
