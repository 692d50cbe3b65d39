import type { CompiledQuery, Kysely } from 'kysely';
import type { StoreSchema } from './schema.js';

/**
 * Runs compiled queries synchronously (SQLite only: better-sqlite3 is synchronous). Statements
 * are prepared once per SQL text and reused.
 */
export interface SyncReader {
  /** All rows of `query`. */
  all<R>(query: CompiledQuery<R>): R[];
  /**
   * Runs `query` (an INSERT, UPDATE or DELETE) once per parameter list, in order: a bulk write
   * without building one huge statement. Inside `Store.write` it joins that transaction.
   */
  runEach(query: CompiledQuery, parameterLists: Iterable<readonly unknown[]>): void;
}

/**
 * The `Store` seam: one kysely schema over SQLite (PostgreSQL later). Queries are written with
 * kysely against `db`; writes that must be all-or-nothing go through `write`.
 */
export interface Store {
  readonly db: Kysely<StoreSchema>;
  readonly dialect: 'sqlite';
  /** The file path, or `:memory:`. */
  readonly location: string;
  /** The newest migration applied (STORE_SCHEMA_VERSION after a successful open). */
  readonly schemaVersion: number;
  /** Synchronous access for hot paths; undefined on stores whose driver is asynchronous. */
  readonly sync: SyncReader | undefined;
  /**
   * Runs `fn` in one write transaction (SQLite: `BEGIN IMMEDIATE`, so a concurrent writer waits
   * for the busy timeout instead of failing halfway). Everything `fn` does is committed together,
   * or rolled back when it throws.
   */
  write<T>(fn: (db: Kysely<StoreSchema>) => Promise<T>): Promise<T>;
  /** Closes the database; further use fails. Calling it twice is harmless. */
  close(): Promise<void>;
}
