/**
 * The vulnerability database: feeds imported into the store (one transaction per import,
 * re-imports replace), read back synchronously as a VulnSource; and the same VulnSource over
 * records held in memory.
 */
export { type ImportedSource, importFeeds, type SourceCounts } from './import-feeds.js';
export { memoryVulnSource, type VulnRecords } from './memory-source.js';
export { completeMeta, findMetaGroup, mergeVulnMeta } from './merge-meta.js';
export { type VulnDbStatus, vulnDbStatus } from './status.js';
export { storeVulnSource } from './store-source.js';
export { openVulnDatabase, type VulnDatabase } from './vuln-database.js';
