/** The factory engine: the job runner, job logs, the gatherer, the reconciler, triggers and createFactory. */
export { createJobLogWriter, type JobLogWriter, type JobLogWriterOptions } from './job-log-writer.js';
export { isRetryableError, type JobOutcome, type JobRunner, type RunJobsOptions, runJobs } from './runner.js';
