import type { Kysely } from 'kysely';
import { LarderError } from '../core/index.js';
import { STORE_MIGRATIONS, STORE_SCHEMA_VERSION } from './migrations.js';
import type { StoreSchema } from './schema.js';

type Write = <T>(fn: (db: Kysely<StoreSchema>) => Promise<T>) => Promise<T>;

/**
 * Brings a store's schema up to STORE_SCHEMA_VERSION: each missing migration runs in its own
 * write transaction and is recorded in `store_migrations`. Refuses a database that holds other
 * tables but was never a larder store, and one written by a newer larder. Returns the version.
 */
export async function migrateStore(db: Kysely<StoreSchema>, write: Write, location: string): Promise<number> {
  const tables = (await db.introspection.getTables()).map((t) => t.name);
  if (tables.length > 0 && !tables.includes('store_migrations'))
    throw new LarderError(
      'STORE_INVALID',
      `${location}: an SQLite database but not a larder store (tables: ${tables.sort().join(', ')})`,
      { subject: location },
    );
  // Only a new database is written to here, so that opening an up-to-date one reads only.
  if (!tables.includes('store_migrations'))
    await db.schema
      .createTable('store_migrations')
      .ifNotExists()
      .addColumn('version', 'integer', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('applied_at', 'text', (c) => c.notNull())
      .execute();
  const applied = new Set(
    (await db.selectFrom('store_migrations').select('version').execute()).map((r) => Number(r.version)),
  );
  const newest = Math.max(0, ...applied);
  if (newest > STORE_SCHEMA_VERSION)
    throw new LarderError(
      'STORE_INVALID',
      `${location}: schema version ${newest} was written by a newer larder (this one knows up to ${STORE_SCHEMA_VERSION})`,
      { subject: location },
    );
  for (const migration of STORE_MIGRATIONS) {
    if (applied.has(migration.version)) continue;
    await write(async (trx) => {
      // Another process may have applied it while this one waited for the write lock.
      const done = await trx
        .selectFrom('store_migrations')
        .select('version')
        .where('version', '=', migration.version)
        .executeTakeFirst();
      if (done !== undefined) return;
      await migration.up(trx);
      await trx
        .insertInto('store_migrations')
        .values({ version: migration.version, name: migration.name, applied_at: new Date().toISOString() })
        .execute();
    });
  }
  return STORE_SCHEMA_VERSION;
}
