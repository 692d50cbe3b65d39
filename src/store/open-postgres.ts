import { Kysely, PostgresDialect, sql } from 'kysely';
import { LarderError } from '../core/index.js';
import { migrateStore } from './migrate.js';
import { postgresErrorOf } from './postgres-errors.js';
import type { StoreSchema } from './schema.js';
import type { Store } from './store.js';
import type { OpenStoreOptions } from './store-options.js';

/**
 * The `pg_advisory_xact_lock` key that serializes migrations across processes ('lard' in ASCII).
 * Other transaction-scoped advisory locks of larder must use other keys.
 */
export const MIGRATION_LOCK_KEY = 0x6c617264;

/**
 * Opens the PostgreSQL store at `url` (the database must exist) through a `pg` pool and runs
 * pending migrations, serialized across processes by an advisory lock. Tables live in the
 * connection's current schema (`?options=-c search_path=...` picks another). `write` is one READ
 * COMMITTED transaction (see Store.write); `sync` is undefined. Errors name `redacted`.
 */
export async function openPostgresStore(
  url: string,
  redacted: string,
  options: OpenStoreOptions,
): Promise<Store> {
  const secret = passwordOf(url);
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
  });
  // A connection the server drops (restart, admin kill) must not crash the process with an
  // unhandled 'error' event, idle in the pool or checked out between statements: the next query
  // on it fails instead, and the pool replaces it.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  try {
    const client = await pool.connect();
    client.release();
  } catch (err) {
    await pool.end();
    throw postgresErrorOf(redacted, err, secret);
  }
  const db = new Kysely<StoreSchema>({ dialect: new PostgresDialect({ pool }) });
  const write = <T>(fn: (trx: Kysely<StoreSchema>) => Promise<T>): Promise<T> =>
    db.transaction().setIsolationLevel('read committed').execute(fn);
  const tables = async (on: Kysely<StoreSchema>): Promise<string[]> => {
    const { rows } = await sql<{ name: string }>`
      select c.relname as name from pg_catalog.pg_class c
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where n.nspname = current_schema() and c.relkind in ('r', 'p', 'v', 'm', 'f')`.execute(on);
    return rows.map((r) => r.name);
  };
  let schemaVersion: number;
  try {
    // An empty database: another application's is STORE_INVALID, from migrateStore below.
    if (options.mustExist === true && (await tables(db)).length === 0)
      throw new LarderError('NOT_FOUND', `${redacted}: no larder store in this database`, {
        subject: redacted,
      });
    schemaVersion = await migrateStore(db, write, {
      kind: 'PostgreSQL',
      location: redacted,
      tables,
      serialize: async (trx) => {
        await sql`select pg_advisory_xact_lock(${sql.lit(MIGRATION_LOCK_KEY)})`.execute(trx);
      },
    });
  } catch (err) {
    await db.destroy();
    throw postgresErrorOf(redacted, err, secret);
  }
  let closed = false;
  return {
    db,
    dialect: 'postgres',
    location: redacted,
    schemaVersion,
    sync: undefined,
    write,
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}

function passwordOf(url: string): string {
  try {
    const parsed = new URL(url);
    return decodeURIComponent(parsed.password) || (parsed.searchParams.get('password') ?? '');
  } catch {
    return '';
  }
}
