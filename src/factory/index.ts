/** The factory: continuous rebuild and remediation (docs/factory.md). */
export * from './engine/index.js';
export * from './feed/index.js';
export * from './jobs/index.js';
export type * from './model.js';
export * from './plan/index.js';
export * from './queue/index.js';
export * from './service.js';
export * from './state/index.js';
export * from './workspace/index.js';
