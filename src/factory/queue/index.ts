/** The job queues: embedded (the store's factory_jobs table) and pg-boss on PostgreSQL (workers on other machines). */
export { type BackoffOptions, backoffDelay } from './backoff.js';
export { createPgBossQueue, type PgBossQueue, type PgBossQueueOptions } from './pg-boss-queue.js';
export { createStoreQueue, type StoreQueue, type StoreQueueOptions, WORKER_LOST } from './store-queue.js';
