import type { CompiledQuery } from 'kysely';
import { LarderError } from '../../core/index.js';
import type { Store } from '../../store/index.js';
import type { DistroRecord, Ecosystem, RangeRecord, VulnMeta, VulnSource } from '../model.js';
import { findMetaGroup, mergeVulnMeta } from './merge-meta.js';
import { distroRecordOf, metaOf, rangeRecordOf } from './rows.js';
import { vulnDbError } from './vuln-db-error.js';

type SourcedMeta = VulnMeta & { readonly sourceId: number };

/**
 * The VulnSource of a store, read synchronously: queries are written with kysely, compiled once
 * and run as prepared statements on the SQLite handle. A damaged database file surfaces as
 * VULN_DB_INVALID naming it.
 */
export function storeVulnSource(store: Store): VulnSource {
  const sync = store.sync;
  if (sync === undefined)
    throw new LarderError(
      'USAGE',
      `${store.location}: synchronous reads need an SQLite vulnerability database`,
    );
  const db = store.db;
  const distroQuery = db
    .selectFrom('vuln_distro_records')
    .select([
      'distro',
      'package',
      'vulnerability',
      'aliases',
      'state',
      'fixed_version',
      'reason',
      'decided_at',
      'origin',
    ])
    .where('package', '=', '')
    .orderBy('source_id')
    .orderBy('seq')
    .compile();
  const rangeQuery = db
    .selectFrom('vuln_range_records')
    .select(['ecosystem', 'package', 'vulnerability', 'aliases', 'ranges', 'versions', 'withdrawn', 'origin'])
    .where('ecosystem', '=', '')
    .where('package', '=', '')
    .orderBy('source_id')
    .orderBy('seq')
    .compile();
  const guarded = <T>(read: () => T): T => {
    try {
      return read();
    } catch (err) {
      throw vulnDbError(store.location, err);
    }
  };
  const lookup = (ids: readonly string[]): SourcedMeta[] => {
    const rows = sync.all(
      db
        .selectFrom('vuln_vulnerabilities')
        .selectAll()
        .where((eb) =>
          eb.or([
            eb('id', 'in', ids),
            eb('id', 'in', eb.selectFrom('vuln_aliases').select('id').where('alias', 'in', ids)),
          ]),
        )
        .compile(),
    );
    if (rows.length === 0) return [];
    const found = [...new Set(rows.map((r) => r.id))];
    const aliases = sync.all(db.selectFrom('vuln_aliases').selectAll().where('id', 'in', found).compile());
    const cvss = sync.all(db.selectFrom('vuln_cvss').selectAll().where('id', 'in', found).compile());
    return rows.map((row) => {
      const mine = (r: { source_id: number; id: string }) => r.source_id === row.source_id && r.id === row.id;
      return {
        ...metaOf(
          row,
          aliases.filter(mine).map((a) => a.alias),
          cvss.filter(mine),
        ),
        sourceId: row.source_id,
      };
    });
  };
  return {
    distroRecords: (pkg: string): readonly DistroRecord[] =>
      guarded(() => sync.all(bind(distroQuery, [pkg])).map(distroRecordOf)),
    rangeRecords: (ecosystem: Ecosystem, name: string): readonly RangeRecord[] =>
      guarded(() => sync.all(bind(rangeQuery, [ecosystem, name])).map(rangeRecordOf)),
    vulnerability: (id: string): VulnMeta | undefined =>
      guarded(() => {
        const group = findMetaGroup(id, lookup, (e) => `${e.sourceId}\u0000${e.id}`);
        return mergeVulnMeta(
          id,
          group.map(({ sourceId: _, ...meta }) => meta),
        );
      }),
  };
}

/** A compiled query with other values for its parameters (same order, same count). */
function bind<R>(query: CompiledQuery<R>, parameters: readonly unknown[]): CompiledQuery<R> {
  return { ...query, parameters };
}
