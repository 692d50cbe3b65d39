import { type Kysely, PostgresAdapter } from 'kysely';

/** One schema change. `up` runs inside a write transaction; versions only ever grow. */
export interface StoreMigration {
  readonly version: number;
  readonly name: string;
  // biome-ignore lint/suspicious/noExplicitAny: migrations see the schema as it was then, not StoreSchema
  up(db: Kysely<any>): Promise<void>;
}

/** Every migration, in version order. Append; never edit one that has shipped. */
export const STORE_MIGRATIONS: readonly StoreMigration[] = [
  {
    version: 1,
    name: 'vulnerability data',
    async up(db) {
      await db.schema
        .createTable('vuln_sources')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('location', 'text', (c) => c.notNull())
        .addColumn('imported_at', 'text', (c) => c.notNull())
        .addColumn('digest', 'text', (c) => c.notNull())
        .addColumn('counts', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('vuln_vulnerabilities')
        .addColumn('source_id', 'integer', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('summary', 'text')
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('published', 'text')
        .addColumn('modified', 'text')
        .addColumn('reference_urls', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('vuln_vulnerabilities_pk', ['source_id', 'id'])
        .execute();
      await db.schema
        .createIndex('vuln_vulnerabilities_id')
        .on('vuln_vulnerabilities')
        .column('id')
        .execute();
      await db.schema
        .createTable('vuln_aliases')
        .addColumn('source_id', 'integer', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('alias', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('vuln_aliases_alias').on('vuln_aliases').column('alias').execute();
      await db.schema
        .createIndex('vuln_aliases_entry')
        .on('vuln_aliases')
        .columns(['source_id', 'id'])
        .execute();
      await db.schema
        .createTable('vuln_cvss')
        .addColumn('source_id', 'integer', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('vector', 'text', (c) => c.notNull())
        .addColumn('score', 'double precision')
        .execute();
      await db.schema.createIndex('vuln_cvss_entry').on('vuln_cvss').columns(['source_id', 'id']).execute();
      await db.schema
        .createTable('vuln_distro_records')
        .addColumn('source_id', 'integer', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('distro', 'text', (c) => c.notNull())
        .addColumn('package', 'text', (c) => c.notNull())
        .addColumn('vulnerability', 'text', (c) => c.notNull())
        .addColumn('aliases', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('fixed_version', 'text')
        .addColumn('reason', 'text')
        .addColumn('decided_at', 'text')
        .addColumn('origin', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('vuln_distro_records_package')
        .on('vuln_distro_records')
        .column('package')
        .execute();
      await db.schema
        .createIndex('vuln_distro_records_source')
        .on('vuln_distro_records')
        .column('source_id')
        .execute();
      await db.schema
        .createTable('vuln_range_records')
        .addColumn('source_id', 'integer', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('ecosystem', 'text', (c) => c.notNull())
        .addColumn('package', 'text', (c) => c.notNull())
        .addColumn('vulnerability', 'text', (c) => c.notNull())
        .addColumn('aliases', 'text', (c) => c.notNull())
        .addColumn('ranges', 'text', (c) => c.notNull())
        .addColumn('versions', 'text', (c) => c.notNull())
        .addColumn('withdrawn', 'text')
        .addColumn('origin', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('vuln_range_records_package')
        .on('vuln_range_records')
        .columns(['ecosystem', 'package'])
        .execute();
      await db.schema
        .createIndex('vuln_range_records_source')
        .on('vuln_range_records')
        .column('source_id')
        .execute();
    },
  },
  {
    version: 2,
    name: 'factory state',
    async up(db) {
      // Generated ids: SQLite's `integer primary key` is the rowid; PostgreSQL needs `serial`.
      const id = db.getExecutor().adapter instanceof PostgresAdapter ? 'serial' : 'integer';
      await db.schema
        .createTable('factory_packages')
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('arch', 'text', (c) => c.notNull())
        .addColumn('origin', 'text', (c) => c.notNull())
        .addColumn('checksum', 'text', (c) => c.notNull())
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('build_key', 'text')
        .addColumn('published_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('factory_packages_pk', ['name', 'version', 'arch'])
        .execute();
      await db.schema
        .createIndex('factory_packages_origin')
        .on('factory_packages')
        .column('origin')
        .execute();
      await db.schema
        .createTable('factory_builds')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('recipe', 'text', (c) => c.notNull())
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('arch', 'text', (c) => c.notNull())
        .addColumn('recipe_hash', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('finished_at', 'text')
        .addColumn('log_path', 'text')
        .addColumn('error', 'text')
        .execute();
      await db.schema
        .createIndex('factory_builds_recipe')
        .on('factory_builds')
        .columns(['recipe', 'started_at'])
        .execute();
      await db.schema
        .createTable('factory_images')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('config_file', 'text', (c) => c.notNull())
        .addColumn('config_hash', 'text', (c) => c.notNull())
        .addColumn('publish', 'text', (c) => c.notNull())
        .addColumn('policy', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('factory_image_versions')
        .addColumn('id', id, (c) => c.primaryKey())
        .addColumn('image', 'text', (c) => c.notNull())
        .addColumn('index_digest', 'text', (c) => c.notNull())
        .addColumn('digests', 'text', (c) => c.notNull())
        .addColumn('lock', 'text', (c) => c.notNull())
        .addColumn('lock_hash', 'text', (c) => c.notNull())
        .addColumn('config_hash', 'text', (c) => c.notNull())
        .addColumn('feed_version', 'text')
        .addColumn('published_at', 'text', (c) => c.notNull())
        .addColumn('signed', 'integer', (c) => c.notNull())
        .addColumn('attested', 'integer', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('factory_image_versions_image')
        .on('factory_image_versions')
        .columns(['image', 'published_at'])
        .execute();
      await db.schema
        .createTable('factory_findings')
        .addColumn('id', id, (c) => c.primaryKey())
        .addColumn('image', 'text', (c) => c.notNull())
        .addColumn('image_digest', 'text', (c) => c.notNull())
        .addColumn('vuln_id', 'text', (c) => c.notNull())
        .addColumn('aliases', 'text', (c) => c.notNull())
        .addColumn('package', 'text', (c) => c.notNull())
        .addColumn('origin', 'text', (c) => c.notNull())
        .addColumn('fixed_in', 'text')
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('first_seen', 'text', (c) => c.notNull())
        .addColumn('resolved_at', 'text')
        .execute();
      await db.schema
        .createIndex('factory_findings_image')
        .on('factory_findings')
        .columns(['image', 'resolved_at'])
        .execute();
      await db.schema.createIndex('factory_findings_vuln').on('factory_findings').column('vuln_id').execute();
      await db.schema
        .createTable('factory_advisories')
        .addColumn('package', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('aliases', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('factory_advisories_pk', ['package', 'id'])
        .execute();
      await db.schema.createIndex('factory_advisories_id').on('factory_advisories').column('id').execute();
      await db.schema
        .createTable('factory_events')
        .addColumn('id', id, (c) => c.primaryKey())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('details', 'text')
        .execute();
      await db.schema.createIndex('factory_events_at').on('factory_events').columns(['at', 'id']).execute();
      await db.schema
        .createIndex('factory_events_subject')
        .on('factory_events')
        .columns(['subject', 'id'])
        .execute();
      await db.schema
        .createTable('factory_jobs')
        .addColumn('id', id, (c) => c.primaryKey())
        .addColumn('key', 'text', (c) => c.notNull().unique())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('priority', 'integer', (c) => c.notNull())
        .addColumn('after', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('max_attempts', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('run_after', 'text', (c) => c.notNull())
        .addColumn('started_at', 'text')
        .addColumn('finished_at', 'text')
        .addColumn('worker', 'text')
        .addColumn('lease_until', 'text')
        .addColumn('error', 'text')
        .addColumn('result', 'text')
        .execute();
      await db.schema
        .createIndex('factory_jobs_claim')
        .on('factory_jobs')
        .columns(['status', 'kind', 'run_after'])
        .execute();
      await db.schema
        .createTable('factory_job_after')
        .addColumn('job_key', 'text', (c) => c.notNull())
        .addColumn('after_key', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('factory_job_after_pk', ['job_key', 'after_key'])
        .execute();
      await db.schema
        .createTable('factory_tokens')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .addColumn('scopes', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_used_at', 'text')
        .execute();
    },
  },
  {
    version: 3,
    name: 'factory job logs',
    async up(db) {
      await db.schema
        .createTable('factory_job_logs')
        .addColumn('job_key', 'text', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('line', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('factory_job_logs_pk', ['job_key', 'seq'])
        .execute();
    },
  },
];

/** The schema version this build of larder writes. */
export const STORE_SCHEMA_VERSION = STORE_MIGRATIONS.at(-1)?.version ?? 0;
