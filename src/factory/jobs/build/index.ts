/** The `build` job body: a recipe built in the sandbox for one arch, its packages published. */
export {
  type BuildSources,
  buildLogLine,
  buildSources,
  recipeSourceDir,
  sourceDateEpochOf,
} from './build-inputs.js';
export {
  type BuildJobOptions,
  buildJob,
  createBuildJob,
  packageRootRunner,
  type RunnerParts,
} from './build-job.js';
export { type BuildPayload, buildPayload } from './payload.js';
