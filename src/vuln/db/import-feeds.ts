import type { InsertObject, Kysely } from 'kysely';
import type { Store, StoreSchema } from '../../store/index.js';
import type { FeedInput } from '../feeds/index.js';
import type { VulnMeta } from '../model.js';
import { completeMeta, mergeVulnMeta } from './merge-meta.js';
import { cvssRows, distroRow, rangeRow, vulnerabilityRow } from './rows.js';

/** How much one source holds. */
export interface SourceCounts {
  readonly files: number;
  readonly distroRecords: number;
  readonly rangeRecords: number;
  readonly vulnerabilities: number;
  /** What the reader left out, reason → count. */
  readonly skipped: Readonly<Record<string, number>>;
}

/** One source as imported (or as `status` lists it). */
export interface ImportedSource {
  /** `kind:location`: importing the same name again replaces the source's records. */
  readonly name: string;
  readonly kind: FeedInput['kind'];
  readonly location: string;
  readonly digest: string;
  readonly importedAt: string;
  readonly counts: SourceCounts;
}

const TABLES = [
  'vuln_vulnerabilities',
  'vuln_aliases',
  'vuln_cvss',
  'vuln_distro_records',
  'vuln_range_records',
] as const;

/** Rows per INSERT: below SQLite's 32,766 and PostgreSQL's 65,535 bound parameters. */
const MAX_PARAMETERS = 30_000;

/**
 * Imports feeds into the store in one write transaction: all of them or none (a failure
 * leaves the database as it was). A source already imported under the same `kind:location`
 * has its records replaced. Returns what each source now holds, in input order.
 */
export async function importFeeds(
  store: Store,
  inputs: readonly FeedInput[],
  options: { readonly now?: Date } = {},
): Promise<ImportedSource[]> {
  const importedAt = (options.now ?? new Date()).toISOString();
  return store.write(async (db) => {
    const out: ImportedSource[] = [];
    for (const input of inputs) out.push(await importOne(store, db, input, importedAt));
    return out;
  });
}

async function importOne(
  store: Store,
  db: Kysely<StoreSchema>,
  input: FeedInput,
  importedAt: string,
): Promise<ImportedSource> {
  const { distro, ranges } = input.records;
  const meta = uniqueMeta(completeMeta(input.records.meta, distro, ranges));
  const name = `${input.kind}:${input.location}`;
  const counts: SourceCounts = {
    files: input.files,
    distroRecords: distro.length,
    rangeRecords: ranges.length,
    vulnerabilities: meta.length,
    skipped: input.records.skipped,
  };
  const row = {
    name,
    kind: input.kind,
    location: input.location,
    imported_at: importedAt,
    digest: input.digest,
    counts: JSON.stringify(counts),
  };
  const existing = await db
    .selectFrom('vuln_sources')
    .select('id')
    .where('name', '=', name)
    .executeTakeFirst();
  let id: number;
  if (existing !== undefined) {
    id = Number(existing.id);
    for (const table of TABLES) await db.deleteFrom(table).where('source_id', '=', id).execute();
    await db.updateTable('vuln_sources').set(row).where('id', '=', id).execute();
  } else {
    const top = await db
      .selectFrom('vuln_sources')
      .select((eb) => eb.fn.max('id').as('top'))
      .executeTakeFirst();
    id = Number(top?.top ?? 0) + 1;
    await db
      .insertInto('vuln_sources')
      .values({ id, ...row })
      .execute();
  }
  await insertRows(
    store,
    db,
    'vuln_vulnerabilities',
    meta.map((m) => vulnerabilityRow(id, m)),
  );
  await insertRows(
    store,
    db,
    'vuln_aliases',
    meta.flatMap((m) => m.aliases.map((alias) => ({ source_id: id, id: m.id, alias }))),
  );
  await insertRows(
    store,
    db,
    'vuln_cvss',
    meta.flatMap((m) => cvssRows(id, m)),
  );
  await insertRows(
    store,
    db,
    'vuln_distro_records',
    distro.map((r, seq) => distroRow(id, seq, r)),
  );
  await insertRows(
    store,
    db,
    'vuln_range_records',
    ranges.map((r, seq) => rangeRow(id, seq, r)),
  );
  return { name, kind: input.kind, location: input.location, digest: input.digest, importedAt, counts };
}

/** One entry per id: a feed that describes an id twice has the two entries merged. */
function uniqueMeta(meta: readonly VulnMeta[]): VulnMeta[] {
  const byId = new Map<string, VulnMeta[]>();
  for (const entry of meta) {
    const list = byId.get(entry.id);
    if (list === undefined) byId.set(entry.id, [entry]);
    else list.push(entry);
  }
  return [...byId].map(([id, list]) => (list.length === 1 ? list[0]! : mergeVulnMeta(id, list)!));
}

/**
 * Inserts rows: on SQLite one prepared single-row INSERT (compiled by kysely) run per row inside
 * the transaction, which is several times faster than multi-row statements; elsewhere multi-row
 * INSERTs below the bound-parameter limit.
 */
async function insertRows<T extends (typeof TABLES)[number]>(
  store: Store,
  db: Kysely<StoreSchema>,
  table: T,
  rows: readonly InsertObject<StoreSchema, T>[],
): Promise<void> {
  const first = rows[0];
  if (first === undefined) return;
  const columns = Object.keys(first) as (keyof typeof first)[];
  if (store.sync !== undefined) {
    const query = db.insertInto(table).values(first).compile();
    store.sync.runEach(
      query,
      rows.map((row) => columns.map((c) => row[c])),
    );
    return;
  }
  const size = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
  for (let at = 0; at < rows.length; at += size)
    await db
      .insertInto(table)
      .values(rows.slice(at, at + size))
      .execute();
}
