/** Building a recipe end to end: compile, workspace, steps in the sandbox, emit, publish. */
export { type BuildRecipeOptions, type BuildRecipeResult, buildRecipe } from './build-recipe.js';
export { buildPackagesOf, mainSources } from './emit-inputs.js';
export { IGNORE_FILE, type IgnoreRules, parseIgnoreRules } from './ignore-rules.js';
export { type BuildEvent, runPlanSteps, type StepRunContext, sandboxScript } from './run-steps.js';
export { hostPathOf, populateWorkspace } from './workspace.js';
