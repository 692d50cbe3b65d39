/** The factory engine: the job runner, job logs, the gatherer, the reconciler, triggers and createFactory. */

export { advisoryEventOf, writeAdvisory } from './advisory-save.js';
export { createEventFeed, type EventFeed } from './event-feed.js';
export {
  type CreateFactoryOptions,
  createFactory,
  DEFAULT_JOB_BODIES,
  type Factory,
  JOB_KINDS,
} from './factory.js';
export { type Gathered, type GatherOptions, gatherPlanInput } from './gather/gather.js';
export {
  createImageResolver,
  type ImageResolver,
  type LockHashOf,
  lockHashResolver,
} from './gather/image-resolver.js';
export { type PublishedRepository, readPublishedRepository } from './gather/published-repository.js';
export { type RecordedJobs, readRecordedJobs } from './gather/recorded-jobs.js';
export { createJobLogWriter, type JobLogWriter, type JobLogWriterOptions } from './job-log-writer.js';
export {
  createReconciler,
  type ReconcileOutcome,
  type Reconciler,
  type ReconcilerOptions,
  type RefreshFeed,
} from './reconciler.js';
export { type JobOutcome, type JobRunner, type RunJobsOptions, runJobs } from './runner.js';
export {
  diffSnapshots,
  fileSnapshots,
  memorySnapshots,
  parseSnapshot,
  type ReconcileSnapshot,
  type SnapshotStore,
} from './snapshot.js';
export { feedTimer, msToNextSlot, scheduleTimer } from './triggers/timers.js';
export { type Trigger, watchWorkspace, workspaceFingerprint } from './triggers/workspace-watch.js';
