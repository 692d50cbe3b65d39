/**
 * Building APK packages from melange-compatible recipes (docs/architecture.md): recipes,
 * compile, sandboxes, automatic dependencies and package emission.
 */

/** `larder recipe bump`: a recipe moved to a new version, source checksums refreshed in place. */
export { type BumpRecipeOptions, type BumpRecipeResult, bumpRecipe } from './bump/index.js';

/** Recipe → build plan: `uses:` expansion from pipeline directories and built-ins. */
export {
  BUILD_ARCH_NAMES,
  type BuildPlan,
  buildArch,
  type CompileOptions,
  type CompileResult,
  compileRecipe,
  compileRecipeFile,
  compileRecipeText,
  hostBuildArch,
  type PackageMetadata,
  type PackagePlan,
  PipelineLibrary,
  type PlanAccounts,
  type PlanStep,
  parsePipelineFile,
  pipelineLibrary,
  type ShellStep,
  type SourceStep,
  type TestPlan,
} from './compile/index.js';

/** Package emission: `.PKGINFO`, scriptlets and SPDX SBOM of a staged tree, as a signed `.apk`. */
export {
  apkFileName,
  type BuildPackage,
  type EmitBuildInput,
  type EmitCopyright,
  type EmitDependencies,
  type EmitPackageInput,
  type EmitScriptlets,
  type EmitSource,
  type EmittedPackage,
  emitBuild,
  emitPackage,
  licenseExpression,
  type MergedDependencies,
  mergeDependencies,
  normalizeLicense,
  packageSbomJson,
  removeSelfProvided,
  SBOM_DIR,
  type SourceStepInput,
  upstreamSource,
} from './emit/index.js';

/** Recipe trees as build graphs: edges, deterministic build order, cycles, build-all. */
export {
  type BuildAllEvent,
  type BuildAllOptions,
  type BuildAllResult,
  buildAll,
  buildOrder,
  buildRecipeGraph,
  dependencyName,
  findCycle,
  graphDot,
  graphJson,
  graphText,
  loadRecipeGraph,
  type RecipeGraph,
  type RecipeNode,
  recipeFilesOf,
} from './graph/index.js';

/** melange recipes: parsing with every problem placed, substitutions, ranges, conditions. */
export {
  ConditionError,
  compileGoRegex,
  evaluateCondition,
  GoRegexError,
  goReplaceAll,
  loadRecipe,
  type ParsedRecipe,
  type PipelineStep,
  parseRecipe,
  type Recipe,
  type RecipeFile,
  recipeInvalid,
  SubstitutionError,
  substitute,
} from './recipe/index.js';

/** A recipe built end to end: workspace, steps in the sandbox, emission, publishing. */
export {
  type BuildEvent,
  type BuildRecipeOptions,
  type BuildRecipeResult,
  buildRecipe,
} from './run/index.js';
/** The `Sandbox` seam: bubblewrap over a package root or the host's toolchain, with diagnosis. */
export {
  type BubblewrapRunnerOptions,
  createBubblewrapRunner,
  diagnoseSandbox,
  GUEST_CACHE_DIR,
  GUEST_WORKSPACE,
  type GuestContents,
  type PrepareOptions,
  type ProbeFacts,
  probeSandbox,
  type RunStepOptions,
  type Sandbox,
  type SandboxRunner,
  type SandboxStep,
  type StepLine,
  type StepResult,
} from './sandbox/index.js';
/** Automatic dependencies of a staged package tree (melange `pkg/sca`). */
export {
  analyzePackage,
  type PkgConfigRequires,
  parsePkgConfig,
  type ScaInput,
  type ScaOptions,
  type ScaPackageDir,
  type ScaResult,
  shebangInterpreter,
  sonameLibver,
} from './sca/index.js';
/** `larder recipe test`: test sections run against the built packages, one verdict each. */
export {
  type PackageVerdict,
  type TestRecipeOptions,
  type TestRecipeResult,
  testRecipe,
} from './test-run/index.js';
