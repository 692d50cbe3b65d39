export { createRescanJob, type RescanJobOptions, rescanJob } from './rescan-job.js';
