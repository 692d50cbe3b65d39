/**
 * Source steps run on the host before the sandbox: `fetch` (download, verify, unpack) and
 * `git-checkout` (clone, verify the commit, cherry-pick), both writing only into the workspace.
 */
export { artifactName, runFetchStep } from './fetch-step.js';
export { type GitCheckoutOptions, runGitCheckoutStep } from './git-checkout-step.js';
export { runSourceStep, type SourceStepRunOptions } from './run-source-step.js';
export type { SourceStepContext, SourceStepInput, SourceStepResult } from './source-step.js';
