/** The embedded job queue: the Queue seam over the store's factory_jobs table. */
export { type BackoffOptions, backoffDelay } from './backoff.js';
export { createStoreQueue, type StoreQueue, type StoreQueueOptions, WORKER_LOST } from './store-queue.js';
