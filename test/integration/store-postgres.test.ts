// The store on a real PostgreSQL 15 (a private cluster from test/kit/postgres.ts): migrations,
// transactions, row locks, errors, and the vulnerability tables holding what SQLite holds.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LarderError } from '../../src/core/index.js';
import {
  openStore,
  STORE_MIGRATIONS,
  STORE_SCHEMA_VERSION,
  type Store,
  type StoreSchema,
} from '../../src/store/index.js';
import { importFeeds } from '../../src/vuln/db/import-feeds.js';
import { readOsvPath, readSecdbFile } from '../../src/vuln/feeds/index.js';
import { ROOT } from '../kit/paths.js';
import { type PostgresCluster, startPostgres } from '../kit/postgres.js';

const FIXTURES = join(ROOT, 'test/fixtures');

let cluster: PostgresCluster;
beforeAll(async () => {
  cluster = await startPostgres();
});
afterAll(() => cluster?.stop());

async function failure(promise: Promise<unknown>): Promise<LarderError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof LarderError) return err;
    throw err;
  }
  throw new Error('expected a LarderError');
}

/**
 * Opens the store at `url` from `n` processes at once (each loads everything first and waits on
 * stdin, so the opens really race); returns the schema version each saw.
 */
async function raceOpens(url: string, n: number): Promise<number[]> {
  const child = `
    const { openStore } = await import(${JSON.stringify(join(ROOT, 'src/store/index.ts'))});
    console.log('ready');
    process.stdin.once('data', async () => {
      const store = await openStore(process.argv[1]);
      console.log(store.schemaVersion);
      await store.close();
      process.exit(0);
    });`;
  const children = Array.from({ length: n }, () =>
    spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', child, url], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'inherit'],
    }),
  );
  const outputs = children.map((c) => {
    let out = '';
    c.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
    });
    const ready = new Promise<void>((resolve) => {
      const check = () => (out.includes('ready') ? resolve() : c.stdout.once('data', check));
      check();
    });
    const exited = new Promise<string>((resolve, reject) =>
      c.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`child exited ${code}: ${out}`)))),
    );
    return { ready, exited };
  });
  await Promise.all(outputs.map((o) => o.ready));
  for (const c of children) c.stdin.end('go\n');
  const printed = await Promise.all(outputs.map((o) => o.exited));
  return printed.map((o) => Number(o.replace('ready', '').trim()));
}

const redacted = (url: string) => url.replace(/:[^:@/]*@/, ':***@');
const source = (id: number) => ({
  id,
  name: `s${id}`,
  kind: 'secdb',
  location: 'x',
  imported_at: 't',
  digest: 'd',
  counts: '{}',
});

describe('the store on PostgreSQL', () => {
  it('migrates a new database, with the column types the schema promises', async () => {
    const url = await cluster.createDatabase();
    const store = await openStore(url);
    try {
      expect(store.dialect).toBe('postgres');
      expect(store.sync).toBeUndefined();
      expect(store.schemaVersion).toBe(STORE_SCHEMA_VERSION);
      expect(store.location).toBe(redacted(url));
      expect(store.location).not.toContain(cluster.password);
      const rows = await store.db.selectFrom('store_migrations').selectAll().orderBy('version').execute();
      expect(rows.map((r) => [r.version, r.name])).toEqual(STORE_MIGRATIONS.map((m) => [m.version, m.name]));
      const { rows: columns } = await sql<{ table_name: string; column_name: string; data_type: string }>`
        select table_name, column_name, data_type from information_schema.columns
        where table_schema = current_schema() and table_name in ('vuln_sources', 'vuln_cvss')
        order by table_name, ordinal_position`.execute(store.db);
      expect(columns.map((c) => `${c.table_name}.${c.column_name}:${c.data_type}`)).toEqual([
        'vuln_cvss.source_id:integer',
        'vuln_cvss.id:text',
        'vuln_cvss.version:text',
        'vuln_cvss.vector:text',
        'vuln_cvss.score:double precision',
        'vuln_sources.id:integer',
        'vuln_sources.name:text',
        'vuln_sources.kind:text',
        'vuln_sources.location:text',
        'vuln_sources.imported_at:text',
        'vuln_sources.digest:text',
        'vuln_sources.counts:text',
      ]);
    } finally {
      await store.close();
      await store.close();
    }
  });

  it('reopening an up-to-date store changes nothing; postgresql:// works too', async () => {
    const url = await cluster.createDatabase();
    const first = await openStore(url);
    const before = await first.db.selectFrom('store_migrations').selectAll().orderBy('version').execute();
    await first.close();
    const again = await openStore(url.replace(/^postgres:/, 'postgresql:'), { mustExist: true });
    expect(await again.db.selectFrom('store_migrations').selectAll().orderBy('version').execute()).toEqual(
      before,
    );
    await again.close();
  });

  it('stores opened at once, in one process and in several, migrate once', async () => {
    const url = await cluster.createDatabase();
    const opened = await Promise.allSettled([0, 1, 2, 3].map(() => openStore(url, { poolSize: 2 })));
    const stores = opened.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    await Promise.all(stores.map((s) => s.close()));
    expect(opened.filter((o) => o.status === 'rejected')).toEqual([]);
    const { rows } = await cluster.query(url, 'select version from store_migrations');
    expect(rows).toHaveLength(STORE_MIGRATIONS.length);

    const other = await cluster.createDatabase();
    expect(await raceOpens(other, 3)).toEqual(Array(3).fill(STORE_SCHEMA_VERSION));
    const { rows: ledger } = await cluster.query(
      other,
      'select version from store_migrations order by version',
    );
    expect(ledger.map((r) => r.version)).toEqual(STORE_MIGRATIONS.map((m) => m.version));
  });

  it('an SQLite file opened by several processes at once is migrated once too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'larder-store-race-'));
    try {
      const path = join(dir, 'race.db');
      expect(await raceOpens(path, 3)).toEqual(Array(3).fill(STORE_SCHEMA_VERSION));
      const store = await openStore(path);
      const rows = await store.db
        .selectFrom('store_migrations')
        .select('version')
        .orderBy('version')
        .execute();
      expect(rows.map((r) => r.version)).toEqual(STORE_MIGRATIONS.map((m) => m.version));
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('write()', () => {
    let store: Store;
    let second: Store;
    beforeAll(async () => {
      const url = await cluster.createDatabase();
      store = await openStore(url);
      second = await openStore(url);
    });
    afterAll(async () => {
      await store?.close();
      await second?.close();
    });

    it('commits together or not at all', async () => {
      await store.write((db) => db.insertInto('vuln_sources').values(source(1)).execute());
      await expect(
        store.write(async (db) => {
          await db.insertInto('vuln_sources').values(source(2)).execute();
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      // A failing statement rolls back the statements before it too.
      await expect(
        store.write(async (db) => {
          await db.insertInto('vuln_sources').values(source(3)).execute();
          await db.insertInto('vuln_sources').values(source(1)).execute();
        }),
      ).rejects.toThrow(/duplicate key/);
      const ids = await second.db.selectFrom('vuln_sources').select('id').orderBy('id').execute();
      expect(ids).toEqual([{ id: 1 }]);
    });

    it('FOR UPDATE SKIP LOCKED claims different rows in concurrent transactions', async () => {
      await store.write((db) =>
        db
          .insertInto('vuln_sources')
          .values([source(10), source(11)])
          .execute(),
      );
      const claim = (db: Parameters<Parameters<Store['write']>[0]>[0]) =>
        db
          .selectFrom('vuln_sources')
          .select('id')
          .where('id', '>=', 10)
          .orderBy('id')
          .limit(1)
          .forUpdate()
          .skipLocked()
          .executeTakeFirst();
      let release!: () => void;
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      let claimed!: () => void;
      const firstClaimed = new Promise<void>((resolve) => {
        claimed = resolve;
      });
      const first = store.write(async (db) => {
        const row = await claim(db);
        claimed();
        await held;
        return row?.id;
      });
      await firstClaimed;
      const second1 = await second.write(async (db) => (await claim(db))?.id);
      const third = await second.write(async (db) => {
        // Both rows: 10 is held by the first transaction, so only 11 is free.
        const free = await db
          .selectFrom('vuln_sources')
          .select('id')
          .where('id', '>=', 10)
          .forUpdate()
          .skipLocked()
          .execute();
        return free.map((r) => r.id);
      });
      release();
      expect(await first).toBe(10);
      expect(second1).toBe(11);
      expect(third).toEqual([11]);
      // Committed: the row is free again.
      expect(await second.write(async (db) => (await claim(db))?.id)).toBe(10);
    });
  });

  describe('errors name the URL without its password', () => {
    it('a wrong password is STORE_UNAVAILABLE', async () => {
      const url = cluster.urlOf('postgres', { password: 'not-the-password' });
      const err = await failure(openStore(url));
      expect(err.code).toBe('STORE_UNAVAILABLE');
      expect(err.message).toContain(`postgres://${cluster.user}:***@127.0.0.1:${cluster.port}/postgres`);
      expect(err.message).toMatch(/refused the credentials/);
      expect(err.message).not.toContain('not-the-password');
      expect(err.message).not.toContain(cluster.password);
    });

    it('an unreachable server and a missing database are STORE_UNAVAILABLE', async () => {
      const down = `postgres://${cluster.user}:${cluster.password}@127.0.0.1:1/larder`;
      const err = await failure(openStore(down));
      expect(err.code).toBe('STORE_UNAVAILABLE');
      expect(err.message).toBe(
        `postgres://${cluster.user}:***@127.0.0.1:1/larder: cannot reach the PostgreSQL server (connect ECONNREFUSED 127.0.0.1:1)`,
      );
      const missing = await failure(openStore(cluster.urlOf('no_such_db')));
      expect(missing.code).toBe('STORE_UNAVAILABLE');
      expect(missing.message).toMatch(/no_such_db: no such PostgreSQL database/);
      expect(missing.message).not.toContain(cluster.password);
    });

    it("another application's database is refused, not extended", async () => {
      const url = await cluster.createDatabase();
      await cluster.query(url, 'create table notes (x text)');
      for (const options of [{}, { mustExist: true }]) {
        const err = await failure(openStore(url, options));
        expect(err.code).toBe('STORE_INVALID');
        expect(err.message).toBe(
          `${redacted(url)}: a PostgreSQL database but not a larder store (tables: notes)`,
        );
      }
      const { rows } = await cluster.query(
        url,
        `select count(*)::int as n from pg_tables where schemaname = 'public'`,
      );
      expect(rows[0].n).toBe(1);
    });

    it('a schema written by a newer larder is refused; mustExist wants a store', async () => {
      const url = await cluster.createDatabase();
      const empty = await failure(openStore(url, { mustExist: true }));
      expect(empty.code).toBe('NOT_FOUND');
      expect(empty.message).toBe(`${redacted(url)}: no larder store in this database`);
      await (await openStore(url)).close();
      await cluster.query(url, `insert into store_migrations values (999, 'future', '2030-01-01T00:00:00Z')`);
      const err = await failure(openStore(url));
      expect(err.code).toBe('STORE_INVALID');
      expect(err.message).toMatch(/schema version 999 was written by a newer larder/);
      expect(err.message).not.toContain(cluster.password);
    });
  });

  it('imported vulnerability data reads back as on SQLite', async () => {
    const inputs = [
      await readSecdbFile(join(FIXTURES, 'secdb/wolfi-security.json')),
      await readSecdbFile(join(FIXTURES, 'secdb/alpine-3.16-main.json')),
      await readOsvPath(join(FIXTURES, 'osv/records')),
    ];
    const now = new Date('2099-06-01T00:00:00Z');
    const postgres = await openStore(await cluster.createDatabase());
    const sqlite = await openStore(':memory:');
    try {
      const a = await importFeeds(postgres, inputs, { now });
      const b = await importFeeds(sqlite, inputs, { now });
      expect(a).toEqual(b);
      const tables: (keyof StoreSchema)[] = [
        'vuln_sources',
        'vuln_vulnerabilities',
        'vuln_aliases',
        'vuln_cvss',
        'vuln_distro_records',
        'vuln_range_records',
      ];
      let total = 0;
      for (const table of tables) {
        const read = async (store: Store) =>
          (await store.db.selectFrom(table).selectAll().execute()).map((row) => JSON.stringify(row)).sort();
        const rows = await read(postgres);
        expect(rows, table).toEqual(await read(sqlite));
        total += rows.length;
      }
      expect(total).toBeGreaterThan(60);
      // A scored CVSS row keeps its double.
      const scores = await postgres.db
        .selectFrom('vuln_cvss')
        .select('score')
        .where('score', 'is not', null)
        .execute();
      expect(scores.length).toBeGreaterThan(0);
      for (const { score } of scores) expect(typeof score).toBe('number');
    } finally {
      await postgres.close();
      await sqlite.close();
    }
  });
});
