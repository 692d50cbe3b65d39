import type { Kysely } from 'kysely';
import { LarderError } from '../core/index.js';
import { STORE_MIGRATIONS, STORE_SCHEMA_VERSION } from './migrations.js';
import type { StoreSchema } from './schema.js';

type Write = <T>(fn: (db: Kysely<StoreSchema>) => Promise<T>) => Promise<T>;

/** What migrateStore needs to know of a dialect. */
export interface MigrationTarget {
  /** `SQLite` or `PostgreSQL`, for messages. */
  readonly kind: string;
  /** The store as messages name it (a path, or a URL without its password). */
  readonly location: string;
  /** The names of the tables where the store lives (PostgreSQL: the current schema only). */
  tables(db: Kysely<StoreSchema>): Promise<string[]>;
  /**
   * Called first inside the migration transaction; returns once no other process can be
   * migrating this store until the transaction ends (SQLite: BEGIN IMMEDIATE already did).
   */
  serialize(trx: Kysely<StoreSchema>): Promise<void>;
}

interface SchemaState {
  readonly hasLedger: boolean;
  readonly applied: ReadonlySet<number>;
}

/**
 * Brings a store's schema up to STORE_SCHEMA_VERSION: every missing migration runs, in version
 * order, in one write transaction that first calls `target.serialize` and then looks again at
 * what is applied, so processes opening a new store at once migrate it exactly once. Each is
 * recorded in `store_migrations`. An up-to-date store is only read. Refuses a database that
 * holds other tables but was never a larder store, and one written by a newer larder
 * (STORE_INVALID). Returns the version.
 */
export async function migrateStore(
  db: Kysely<StoreSchema>,
  write: Write,
  target: MigrationTarget,
): Promise<number> {
  const before = await schemaState(db, target);
  if (STORE_MIGRATIONS.every((m) => before.applied.has(m.version))) return STORE_SCHEMA_VERSION;
  await write(async (trx) => {
    await target.serialize(trx);
    // Another process may have migrated while this one waited for the lock.
    const now = await schemaState(trx, target);
    if (!now.hasLedger)
      await trx.schema
        .createTable('store_migrations')
        .addColumn('version', 'integer', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('applied_at', 'text', (c) => c.notNull())
        .execute();
    for (const migration of STORE_MIGRATIONS) {
      if (now.applied.has(migration.version)) continue;
      await migration.up(trx);
      await trx
        .insertInto('store_migrations')
        .values({ version: migration.version, name: migration.name, applied_at: new Date().toISOString() })
        .execute();
    }
  });
  return STORE_SCHEMA_VERSION;
}

async function schemaState(db: Kysely<StoreSchema>, target: MigrationTarget): Promise<SchemaState> {
  const tables = await target.tables(db);
  if (!tables.includes('store_migrations')) {
    if (tables.length > 0)
      throw new LarderError(
        'STORE_INVALID',
        `${target.location}: a ${target.kind} database but not a larder store (tables: ${tables.sort().join(', ')})`,
        { subject: target.location },
      );
    return { hasLedger: false, applied: new Set() };
  }
  const applied = new Set(
    (await db.selectFrom('store_migrations').select('version').execute()).map((r) => Number(r.version)),
  );
  const newest = Math.max(0, ...applied);
  if (newest > STORE_SCHEMA_VERSION)
    throw new LarderError(
      'STORE_INVALID',
      `${target.location}: schema version ${newest} was written by a newer larder (this one knows up to ${STORE_SCHEMA_VERSION})`,
      { subject: target.location },
    );
  return { hasLedger: true, applied };
}
