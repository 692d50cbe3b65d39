/** The compose job and what the engine shares with it (how image configs load and what a lock hash covers). */
export { type ComposeJobOptions, composeJob, createComposeJob } from './compose-job.js';
export { imageLockHash, loadWorkspaceImageConfig } from './image-config.js';
export { type ImageScan, type PlatformPackages, scanPlatforms } from './image-scan.js';
export { type RecordedLock, recordedPlatforms } from './recorded-lock.js';
export { type RegistryClients, registryClients } from './registry-clients.js';
