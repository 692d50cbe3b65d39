/** Options of openStore. */
export interface OpenStoreOptions {
  /**
   * Fail with NOT_FOUND instead of creating a new store: SQLite, when the file is missing;
   * PostgreSQL (whose database is never created by larder), when it holds no larder store yet.
   */
  readonly mustExist?: boolean;
  /** SQLite: milliseconds to wait for another writer's lock (default 5000). */
  readonly busyTimeoutMs?: number;
  /** PostgreSQL: connections in the pool (default 10). */
  readonly poolSize?: number;
  /** PostgreSQL: milliseconds to wait for a connection before STORE_UNAVAILABLE (default 10000). */
  readonly connectTimeoutMs?: number;
}
