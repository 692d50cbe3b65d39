// The tables of the store, as kysely sees them. One schema for SQLite and PostgreSQL: only
// `integer`, `text` and `double precision` columns, timestamps as ISO-8601 text, lists and
// structured values as JSON text.

/** Migrations applied to this store, one row per version. */
export interface StoreMigrationTable {
  readonly version: number;
  readonly name: string;
  readonly applied_at: string;
}

/** One imported vulnerability source (a secdb file, an OSV export, an advisory directory). */
export interface VulnSourceTable {
  /** Assigned at import (max + 1), stable while the source is re-imported. */
  readonly id: number;
  /** Identity of the source: `kind:location`; importing the same name replaces its records. */
  readonly name: string;
  /** `secdb` | `osv` | `advisories`. */
  readonly kind: string;
  /** The path or URL it was read from. */
  readonly location: string;
  readonly imported_at: string;
  /** `sha256:<hex>` of the bytes read. */
  readonly digest: string;
  /** JSON object of record counts (`distro`, `ranges`, `vulnerabilities`, ...). */
  readonly counts: string;
}

/** A vulnerability as one source describes it; merged over sources when read. */
export interface VulnerabilityTable {
  readonly source_id: number;
  readonly id: string;
  readonly summary: string | null;
  readonly severity: string;
  readonly published: string | null;
  readonly modified: string | null;
  /** JSON array of reference URLs. */
  readonly reference_urls: string;
}

/** `id` is also known as `alias` (per source). */
export interface VulnAliasTable {
  readonly source_id: number;
  readonly id: string;
  readonly alias: string;
}

/** A CVSS rating a source gives a vulnerability. */
export interface VulnCvssTable {
  readonly source_id: number;
  readonly id: string;
  readonly version: string;
  readonly vector: string;
  readonly score: number | null;
}

/** A distribution's statement about an origin package (DistroRecord in src/vuln/model.ts). */
export interface VulnDistroRecordTable {
  readonly source_id: number;
  /** Position in the source, so records read back in the order the feed gave them. */
  readonly seq: number;
  readonly distro: string;
  readonly package: string;
  readonly vulnerability: string;
  /** JSON array of ids. */
  readonly aliases: string;
  readonly state: string;
  readonly fixed_version: string | null;
  readonly reason: string | null;
  readonly decided_at: string | null;
  readonly origin: string;
}

/** An OSV `affected` entry of a language ecosystem (RangeRecord in src/vuln/model.ts). */
export interface VulnRangeRecordTable {
  readonly source_id: number;
  /** Position in the source. */
  readonly seq: number;
  readonly ecosystem: string;
  readonly package: string;
  readonly vulnerability: string;
  /** JSON array of ids. */
  readonly aliases: string;
  /** JSON array of `{type, events}`. */
  readonly ranges: string;
  /** JSON array of versions. */
  readonly versions: string;
  readonly withdrawn: string | null;
  readonly origin: string;
}

/** Every table of the store. */
export interface StoreSchema {
  store_migrations: StoreMigrationTable;
  vuln_sources: VulnSourceTable;
  vuln_vulnerabilities: VulnerabilityTable;
  vuln_aliases: VulnAliasTable;
  vuln_cvss: VulnCvssTable;
  vuln_distro_records: VulnDistroRecordTable;
  vuln_range_records: VulnRangeRecordTable;
}
