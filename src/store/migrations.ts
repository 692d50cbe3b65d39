import type { Kysely } from 'kysely';

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
];

/** The schema version this build of larder writes. */
export const STORE_SCHEMA_VERSION = STORE_MIGRATIONS.at(-1)?.version ?? 0;
