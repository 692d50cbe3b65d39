/**
 * The store: one kysely schema and its migrations over SQLite or PostgreSQL, behind the `Store`
 * seam. Higher modules write their queries with kysely against `Store.db`.
 */
export { STORE_MIGRATIONS, STORE_SCHEMA_VERSION, type StoreMigration } from './migrations.js';
export { MIGRATION_LOCK_KEY } from './open-postgres.js';
export { type OpenStoreOptions, openStore } from './open-store.js';
export type {
  StoreMigrationTable,
  StoreSchema,
  VulnAliasTable,
  VulnCvssTable,
  VulnDistroRecordTable,
  VulnerabilityTable,
  VulnRangeRecordTable,
  VulnSourceTable,
} from './schema.js';
export type { Store, SyncReader } from './store.js';
export { storeErrorOf } from './store-errors.js';
export { parseStoreUrl, redactStoreUrl, type StoreLocation } from './store-url.js';
