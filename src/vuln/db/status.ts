import type { Store } from '../../store/index.js';
import type { ImportedSource, SourceCounts } from './import-feeds.js';

/** What a vulnerability database holds (`larder vuln db status`). */
export interface VulnDbStatus {
  readonly location: string;
  readonly schemaVersion: number;
  /** Sources in byte order of their names. */
  readonly sources: readonly ImportedSource[];
  readonly totals: {
    /** Distinct vulnerability ids over all sources (aliases not counted). */
    readonly vulnerabilities: number;
    readonly distroRecords: number;
    readonly rangeRecords: number;
  };
}

/** Reads the sources table and the totals. */
export async function vulnDbStatus(store: Store): Promise<VulnDbStatus> {
  const db = store.db;
  const rows = await db.selectFrom('vuln_sources').selectAll().orderBy('name').execute();
  const count = async (table: 'vuln_distro_records' | 'vuln_range_records') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirst()
      )?.n ?? 0,
    );
  const distinct = await db
    .selectFrom('vuln_vulnerabilities')
    .select((eb) => eb.fn.count('id').distinct().as('n'))
    .executeTakeFirst();
  return {
    location: store.location,
    schemaVersion: store.schemaVersion,
    sources: rows
      .map((r) => ({
        name: r.name,
        kind: r.kind as ImportedSource['kind'],
        location: r.location,
        digest: r.digest,
        importedAt: r.imported_at,
        counts: JSON.parse(r.counts) as SourceCounts,
      }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    totals: {
      vulnerabilities: Number(distinct?.n ?? 0),
      distroRecords: await count('vuln_distro_records'),
      rangeRecords: await count('vuln_range_records'),
    },
  };
}
