import type { Generated } from 'kysely';

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

/** A package the factory published to its repository (migration 2). */
export interface FactoryPackageTable {
  readonly name: string;
  /** `<version>-r<epoch>`. */
  readonly version: string;
  readonly arch: string;
  readonly origin: string;
  /** The APKINDEX `C:` checksum (`Q1...`). */
  readonly checksum: string;
  readonly size: number;
  /** The build job key that produced it; null when imported. */
  readonly build_key: string | null;
  readonly published_at: string;
}

/** One build attempt of a recipe for an arch, keyed by its job key. */
export interface FactoryBuildTable {
  readonly key: string;
  readonly recipe: string;
  readonly version: string;
  readonly arch: string;
  readonly recipe_hash: string;
  /** `running` | `succeeded` | `failed`. */
  readonly status: string;
  readonly started_at: string;
  readonly finished_at: string | null;
  readonly log_path: string | null;
  readonly error: string | null;
}

/** An image of the workspace as last reconciled. */
export interface FactoryImageTable {
  readonly name: string;
  readonly config_file: string;
  readonly config_hash: string;
  /** JSON array of registry references. */
  readonly publish: string;
  /** The policy gate it is held to. */
  readonly policy: string;
}

/** One published version of an image. `id` is generated. */
export interface FactoryImageVersionTable {
  readonly id: Generated<number>;
  readonly image: string;
  readonly index_digest: string;
  /** JSON object: arch → manifest digest. */
  readonly digests: string;
  /** JSON: the lock (packages with checksums). */
  readonly lock: string;
  readonly lock_hash: string;
  readonly config_hash: string;
  readonly feed_version: string | null;
  readonly published_at: string;
  /** 0 or 1. */
  readonly signed: number;
  /** 0 or 1. */
  readonly attested: number;
}

/** A vulnerability found in an image, from first seen until an image version without it. */
export interface FactoryFindingTable {
  readonly id: Generated<number>;
  readonly image: string;
  /** The image version (index digest) it was first seen in. */
  readonly image_digest: string;
  readonly vuln_id: string;
  /** JSON array of ids. */
  readonly aliases: string;
  readonly package: string;
  readonly origin: string;
  readonly fixed_in: string | null;
  /** `open` | `fixed` | `not-affected` | `awaiting-fix`. */
  readonly state: string;
  readonly first_seen: string;
  readonly resolved_at: string | null;
}

/** The current state of a workspace advisory (the YAML stays the source of truth). */
export interface FactoryAdvisoryTable {
  readonly package: string;
  readonly id: string;
  /** JSON array of ids. */
  readonly aliases: string;
  readonly state: string;
  readonly updated_at: string;
}

/** The audit log. `id` is generated and grows with time. */
export interface FactoryEventTable {
  readonly id: Generated<number>;
  readonly at: string;
  readonly kind: string;
  readonly subject: string;
  readonly message: string;
  /** JSON object or null. */
  readonly details: string | null;
}

/** The embedded job queue (JobRecord of src/factory/model.ts). */
export interface FactoryJobTable {
  readonly id: Generated<number>;
  readonly key: string;
  readonly kind: string;
  /** JSON object. */
  readonly payload: string;
  readonly priority: number;
  /** JSON array of keys (also rows of factory_job_after). */
  readonly after: string;
  /** `pending` | `running` | `succeeded` | `failed`. */
  readonly status: string;
  readonly attempts: number;
  readonly max_attempts: number;
  readonly created_at: string;
  readonly run_after: string;
  readonly started_at: string | null;
  readonly finished_at: string | null;
  readonly worker: string | null;
  readonly lease_until: string | null;
  readonly error: string | null;
  /** JSON object or null. */
  readonly result: string | null;
}

/** A job waits for `after_key` to succeed. */
export interface FactoryJobAfterTable {
  readonly job_key: string;
  readonly after_key: string;
}

/** An API token: only the sha256 of the secret is kept. */
export interface FactoryTokenTable {
  readonly id: string;
  readonly name: string;
  /** `sha256:<hex>` of the whole token. */
  readonly hash: string;
  /** JSON array of scopes. */
  readonly scopes: string;
  readonly created_at: string;
  readonly last_used_at: string | null;
}

/** One line of a job's log; `seq` counts from 1 per job key, without gaps. */
export interface FactoryJobLogTable {
  readonly job_key: string;
  readonly seq: number;
  readonly at: string;
  readonly line: string;
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
  factory_packages: FactoryPackageTable;
  factory_builds: FactoryBuildTable;
  factory_images: FactoryImageTable;
  factory_image_versions: FactoryImageVersionTable;
  factory_findings: FactoryFindingTable;
  factory_advisories: FactoryAdvisoryTable;
  factory_events: FactoryEventTable;
  factory_jobs: FactoryJobTable;
  factory_job_after: FactoryJobAfterTable;
  factory_tokens: FactoryTokenTable;
  factory_job_logs: FactoryJobLogTable;
}
