import type { CompiledQuery } from 'kysely';
import { LarderError } from '../../core/index.js';
import type { Store } from '../../store/index.js';
import type { DistroRecord, Ecosystem, RangeRecord, VulnMeta, VulnSource } from '../model.js';
import { findMetaGroup, mergeVulnMeta } from './merge-meta.js';
import { distroRecordOf, metaOf, rangeRecordOf } from './rows.js';
import { vulnDbError } from './vuln-db-error.js';

type SourcedMeta = VulnMeta & { readonly sourceId: number };

/**
 * The VulnSource of a store, read synchronously: every query is written with kysely, compiled
 * once here and run as a prepared statement on the SQLite handle. Answers are remembered for the
 * life of the source (a scan asks for the same origin and the same CVE many times); make a new
 * source to see later imports. A damaged database file surfaces as VULN_DB_INVALID naming it.
 */
export function storeVulnSource(store: Store): VulnSource {
  const sync = store.sync;
  if (sync === undefined)
    throw new LarderError(
      'USAGE',
      `${store.location}: synchronous reads need an SQLite vulnerability database`,
    );
  const db = store.db;
  const q = {
    distro: db
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
      .compile(),
    ranges: db
      .selectFrom('vuln_range_records')
      .select([
        'ecosystem',
        'package',
        'vulnerability',
        'aliases',
        'ranges',
        'versions',
        'withdrawn',
        'origin',
      ])
      .where('ecosystem', '=', '')
      .where('package', '=', '')
      .orderBy('source_id')
      .orderBy('seq')
      .compile(),
    entriesById: db.selectFrom('vuln_vulnerabilities').selectAll().where('id', '=', '').compile(),
    entriesByAlias: db
      .selectFrom('vuln_aliases')
      .select(['source_id', 'id'])
      .where('alias', '=', '')
      .compile(),
    entry: db
      .selectFrom('vuln_vulnerabilities')
      .selectAll()
      .where('source_id', '=', 0)
      .where('id', '=', '')
      .compile(),
    aliases: db
      .selectFrom('vuln_aliases')
      .select('alias')
      .where('source_id', '=', 0)
      .where('id', '=', '')
      .compile(),
    cvss: db
      .selectFrom('vuln_cvss')
      .select(['version', 'vector', 'score'])
      .where('source_id', '=', 0)
      .where('id', '=', '')
      .compile(),
  };
  const run = <R>(query: CompiledQuery<R>, ...parameters: unknown[]): R[] =>
    sync.all({ ...query, parameters });
  const guarded = <K, V>(cache: Map<K, V>, key: K, read: () => V): V => {
    if (cache.has(key)) return cache.get(key) as V;
    let value: V;
    try {
      value = read();
    } catch (err) {
      throw vulnDbError(store.location, err);
    }
    cache.set(key, value);
    return value;
  };
  const distroCache = new Map<string, readonly DistroRecord[]>();
  const rangeCache = new Map<string, readonly RangeRecord[]>();
  const metaCache = new Map<string, VulnMeta | undefined>();

  const metaGroup = (id: string): VulnMeta | undefined => {
    const loaded = new Map<string, SourcedMeta>();
    const load = (row: (typeof q.entry extends CompiledQuery<infer R> ? R : never) | undefined) => {
      if (row === undefined) return undefined;
      const key = `${row.source_id}\u0000${row.id}`;
      let entry = loaded.get(key);
      if (entry === undefined) {
        const aliases = run(q.aliases, row.source_id, row.id).map((a) => a.alias);
        entry = { ...metaOf(row, aliases, run(q.cvss, row.source_id, row.id)), sourceId: row.source_id };
        loaded.set(key, entry);
      }
      return entry;
    };
    const lookup = (ids: readonly string[]): SourcedMeta[] => {
      const out: SourcedMeta[] = [];
      for (const x of ids) {
        for (const row of run(q.entriesById, x)) out.push(load(row)!);
        for (const ref of run(q.entriesByAlias, x)) {
          const known = loaded.get(`${ref.source_id}\u0000${ref.id}`);
          const entry = known ?? load(run(q.entry, ref.source_id, ref.id)[0]);
          if (entry !== undefined) out.push(entry);
        }
      }
      return out;
    };
    const group = findMetaGroup(id, lookup, (e) => `${e.sourceId}\u0000${e.id}`);
    return mergeVulnMeta(
      id,
      group.map(({ sourceId: _, ...meta }) => meta),
    );
  };

  return {
    distroRecords: (pkg: string) => guarded(distroCache, pkg, () => run(q.distro, pkg).map(distroRecordOf)),
    rangeRecords: (ecosystem: Ecosystem, name: string) =>
      guarded(rangeCache, `${ecosystem}\u0000${name}`, () =>
        run(q.ranges, ecosystem, name).map(rangeRecordOf),
      ),
    vulnerability: (id: string) => guarded(metaCache, id, () => metaGroup(id)),
  };
}
