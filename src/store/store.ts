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
 * The `Store` seam: one kysely schema over SQLite or PostgreSQL. Queries are written with kysely
 * against `db`; writes that must be all-or-nothing go through `write`. Code that must differ per
 * dialect (row locks: `FOR UPDATE SKIP LOCKED` exists only on PostgreSQL) branches on `dialect`.
 * PostgreSQL returns `bigint` results (`count(*)`, `sum`) as strings: wrap them in `Number()`.
 */
export interface Store {
  readonly db: Kysely<StoreSchema>;
  readonly dialect: 'sqlite' | 'postgres';
  /** The file path, `:memory:`, or the PostgreSQL URL without its password. */
  readonly location: string;
  /** The newest migration applied (STORE_SCHEMA_VERSION after a successful open). */
  readonly schemaVersion: number;
  /** Synchronous access for hot paths (SQLite); undefined on PostgreSQL, whose driver is asynchronous. */
  readonly sync: SyncReader | undefined;
  /**
   * Runs `fn` in one write transaction. Everything `fn` does through the `db` it is given is
   * committed together, or rolled back when it throws.
   * - SQLite: `BEGIN IMMEDIATE`, so a concurrent writer waits for the busy timeout instead of
   *   failing halfway; writers are serialized, so `fn` sees no concurrent changes.
   * - PostgreSQL: READ COMMITTED (not SERIALIZABLE: no serialization failures to retry). Each
   *   statement sees what was committed before it started, so `fn` takes explicit row locks where
   *   it reads in order to write: `selectFrom(...).forUpdate().skipLocked()` claims rows another
   *   transaction holds without waiting (the queue's dequeue), `forUpdate()` waits for them, and
   *   `sql\`select pg_advisory_xact_lock(${key})\`` serializes work on a key until commit.
   */
  write<T>(fn: (db: Kysely<StoreSchema>) => Promise<T>): Promise<T>;
  /** Closes the database; further use fails. Calling it twice is harmless. */
  close(): Promise<void>;
}
