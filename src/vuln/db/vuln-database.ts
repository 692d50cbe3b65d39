import { type OpenStoreOptions, openStore, type Store } from '../../store/index.js';
import type { FeedInput } from '../feeds/index.js';
import type { VulnSource } from '../model.js';
import { type ImportedSource, importFeeds } from './import-feeds.js';
import { type VulnDbStatus, vulnDbStatus } from './status.js';
import { storeVulnSource } from './store-source.js';
import { vulnDbError } from './vuln-db-error.js';

/** The vulnerability database: a store, its import and status, and the VulnSource read side. */
export interface VulnDatabase extends VulnSource {
  readonly store: Store;
  /** The database file (or `:memory:`). */
  readonly location: string;
  /**
   * Imports feeds in one transaction (all or nothing); a source imported before under the same
   * kind and location has its records replaced.
   */
  import(inputs: readonly FeedInput[], options?: { readonly now?: Date }): Promise<ImportedSource[]>;
  status(): Promise<VulnDbStatus>;
  close(): Promise<void>;
}

/**
 * Opens the vulnerability database at `url` (a path, `sqlite:PATH` or `:memory:`), creating it
 * unless `mustExist`. A file that is not a larder database is VULN_DB_INVALID naming it.
 */
export async function openVulnDatabase(url: string, options: OpenStoreOptions = {}): Promise<VulnDatabase> {
  let store: Store;
  try {
    store = await openStore(url, options);
  } catch (err) {
    throw vulnDbError(url, err);
  }
  // A fresh source after each import: the source remembers its answers.
  let source: VulnSource;
  try {
    source = storeVulnSource(store);
  } catch (err) {
    // A store without synchronous reads (PostgreSQL): nothing may stay open behind the error.
    await store.close();
    throw err;
  }
  const guard = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (err) {
      throw vulnDbError(store.location, err);
    }
  };
  return {
    store,
    location: store.location,
    distroRecords: (pkg) => source.distroRecords(pkg),
    rangeRecords: (ecosystem, name) => source.rangeRecords(ecosystem, name),
    vulnerability: (id) => source.vulnerability(id),
    import: async (inputs, importOptions) => {
      const imported = await guard(() => importFeeds(store, inputs, importOptions));
      source = storeVulnSource(store);
      return imported;
    },
    status: () => guard(() => vulnDbStatus(store)),
    close: () => store.close(),
  };
}
