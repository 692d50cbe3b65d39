import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Database as SqliteHandle, Statement } from 'better-sqlite3';
import { type CompiledQuery, Kysely, SqliteDialect, sql } from 'kysely';
import { LarderError } from '../core/index.js';
import { migrateStore } from './migrate.js';
import type { StoreSchema } from './schema.js';
import type { Store, SyncReader } from './store.js';
import { storeErrorOf } from './store-errors.js';
import type { OpenStoreOptions } from './store-options.js';

/**
 * Opens (creating when allowed) an SQLite store at `path` (or `:memory:`) and runs pending
 * migrations. Files are put in WAL mode with a busy timeout. A file that is not an SQLite
 * database, or not a larder store, is STORE_INVALID naming it; an unopenable path is IO.
 */
export async function openSqliteStore(path: string, options: OpenStoreOptions): Promise<Store> {
  const memory = path === ':memory:';
  if (!memory && !existsSync(path)) {
    if (options.mustExist === true)
      throw new LarderError('NOT_FOUND', `${path}: no such database`, { subject: path });
    mkdirSync(dirname(path), { recursive: true });
  }
  const { default: Database } = await import('better-sqlite3');
  let handle: SqliteHandle;
  try {
    handle = new Database(path, { timeout: options.busyTimeoutMs ?? 5000 });
  } catch (err) {
    throw storeErrorOf(path, err);
  }
  try {
    // Reading the journal mode reads the header: a file that is not a database fails here.
    if (!memory) handle.pragma('journal_mode = WAL');
    handle.pragma('synchronous = NORMAL');
  } catch (err) {
    handle.close();
    throw storeErrorOf(path, err);
  }
  const db = new Kysely<StoreSchema>({ dialect: new SqliteDialect({ database: handle }) });
  const write = <T>(fn: (trx: Kysely<StoreSchema>) => Promise<T>): Promise<T> =>
    db.connection().execute(async (conn) => {
      await sql`begin immediate`.execute(conn);
      try {
        const result = await fn(conn);
        await sql`commit`.execute(conn);
        return result;
      } catch (err) {
        if (handle.inTransaction) await sql`rollback`.execute(conn);
        throw err;
      }
    });
  let schemaVersion: number;
  try {
    schemaVersion = await migrateStore(db, write, {
      kind: 'SQLite',
      location: path,
      tables: async (on) => (await on.introspection.getTables()).map((t) => t.name),
      // BEGIN IMMEDIATE holds the database's write lock until the transaction ends.
      serialize: async () => {},
    });
  } catch (err) {
    await db.destroy();
    throw storeErrorOf(path, err);
  }
  let closed = false;
  return {
    db,
    dialect: 'sqlite',
    location: path,
    schemaVersion,
    sync: syncReader(handle),
    write,
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}

function syncReader(handle: SqliteHandle): SyncReader {
  const statements = new Map<string, Statement>();
  const prepared = (sqlText: string): Statement => {
    let statement = statements.get(sqlText);
    if (statement === undefined) {
      statement = handle.prepare(sqlText);
      statements.set(sqlText, statement);
    }
    return statement;
  };
  return {
    all<R>(query: CompiledQuery<R>): R[] {
      return prepared(query.sql).all(...query.parameters) as R[];
    },
    runEach(query: CompiledQuery, parameterLists: Iterable<readonly unknown[]>): void {
      const statement = prepared(query.sql);
      for (const parameters of parameterLists) statement.run(...parameters);
    },
  };
}
