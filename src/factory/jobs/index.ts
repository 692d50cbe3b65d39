/** The factory's job bodies and the local package publisher (docs/factory.md "Jobs"). */
export { type BuildJobOptions, buildJob, createBuildJob, type RunnerParts } from './build/index.js';
export {
  type ComposeJobOptions,
  composeJob,
  createComposeJob,
  imageLockHash,
  loadWorkspaceImageConfig,
  registryClients,
} from './compose/index.js';
export { createLocalPublisher, type LocalPublisherOptions } from './publisher/index.js';
export { createRescanJob, type RescanJobOptions, rescanJob } from './rescan/index.js';
export { createUpdateCheckJob, type UpdateCheckJobOptions, updateCheckJob } from './update-check/index.js';
