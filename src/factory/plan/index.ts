/** The reconciler's plan: workspace and recorded state in, jobs and their reasons out (docs/factory.md "Planning"). */

export type { RecipeGraph } from './graph.js';
export { recipeGraph } from './graph.js';
export { EXPOSED_COMPOSE_PRIORITY, EXPOSED_RESCAN_PRIORITY } from './images.js';
export type {
  ImageResolution,
  ImageState,
  PlanInput,
  PlanSchedule,
  PublishedImage,
  PublishedPackage,
  RecordedJob,
} from './input.js';
export { buildKey, composeKey, rescanKey, updateCheckKey } from './keys.js';
export { planWork } from './plan-work.js';
export type { BlockedJob, HeldWork, PlanProblem, PlanResult } from './result.js';
