/** The factory's view of the store's `vuln_sources`: digests by name, and removing sources. */
import type { Store } from '../../store/index.js';

/** Tables holding a source's records (`source_id`). */
const RECORD_TABLES = [
  'vuln_vulnerabilities',
  'vuln_aliases',
  'vuln_cvss',
  'vuln_distro_records',
  'vuln_range_records',
] as const;

/** Per imported source name (`kind:location`), its digest. */
export async function storedDigests(store: Store): Promise<Map<string, string>> {
  const rows = await store.db.selectFrom('vuln_sources').select(['name', 'digest']).execute();
  return new Map(rows.map((r) => [r.name, r.digest]));
}

/** Removes sources and all their records, in one transaction. */
export async function removeSources(store: Store, names: readonly string[]): Promise<void> {
  if (names.length === 0) return;
  await store.write(async (db) => {
    const rows = await db.selectFrom('vuln_sources').select('id').where('name', 'in', names).execute();
    const ids = rows.map((r) => Number(r.id));
    if (ids.length === 0) return;
    for (const table of RECORD_TABLES) await db.deleteFrom(table).where('source_id', 'in', ids).execute();
    await db.deleteFrom('vuln_sources').where('id', 'in', ids).execute();
  });
}
