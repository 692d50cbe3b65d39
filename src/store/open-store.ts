import { openPostgresStore } from './open-postgres.js';
import { openSqliteStore } from './open-sqlite.js';
import type { Store } from './store.js';
import type { OpenStoreOptions } from './store-options.js';
import { parseStoreUrl } from './store-url.js';

export type { OpenStoreOptions } from './store-options.js';

/**
 * Opens the store at `url` (see parseStoreUrl) and runs pending migrations: an SQLite file
 * (created when allowed), `:memory:`, or a PostgreSQL database (`postgres://...`, which must
 * exist; larder creates its tables, never the database). Errors name the store, PostgreSQL URLs
 * without their password: STORE_INVALID (not a larder store, a newer schema, not a database),
 * STORE_UNAVAILABLE (PostgreSQL server unreachable, credentials refused, no such database),
 * NOT_FOUND (mustExist), IO (an unopenable file).
 */
export async function openStore(url: string, options: OpenStoreOptions = {}): Promise<Store> {
  const location = parseStoreUrl(url);
  switch (location.kind) {
    case 'memory':
      return openSqliteStore(':memory:', options);
    case 'sqlite':
      return openSqliteStore(location.path, options);
    case 'postgres':
      return openPostgresStore(location.url, location.redacted, options);
  }
}
