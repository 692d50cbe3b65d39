import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LarderError } from '../../../src/core/index.js';
import {
  openStore,
  parseStoreUrl,
  redactStoreUrl,
  STORE_MIGRATIONS,
  STORE_SCHEMA_VERSION,
} from '../../../src/store/index.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'larder-store-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function failure(promise: Promise<unknown>): Promise<LarderError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof LarderError) return err;
    throw err;
  }
  throw new Error('expected a LarderError');
}

describe('parseStoreUrl', () => {
  it('reads memory, sqlite: and plain paths', () => {
    expect(parseStoreUrl(':memory:')).toEqual({ kind: 'memory' });
    expect(parseStoreUrl('sqlite::memory:')).toEqual({ kind: 'memory' });
    expect(parseStoreUrl('sqlite:db/v.db')).toEqual({ kind: 'sqlite', path: 'db/v.db' });
    expect(parseStoreUrl('sqlite:///var/lib/v.db')).toEqual({ kind: 'sqlite', path: '/var/lib/v.db' });
    expect(parseStoreUrl('/tmp/x.db')).toEqual({ kind: 'sqlite', path: '/tmp/x.db' });
  });

  it('reads PostgreSQL URLs, keeping the password out of the redacted form', () => {
    expect(parseStoreUrl('postgres://u:secret@h:5433/db?sslmode=require')).toEqual({
      kind: 'postgres',
      url: 'postgres://u:secret@h:5433/db?sslmode=require',
      redacted: 'postgres://u:***@h:5433/db?sslmode=require',
    });
    expect(parseStoreUrl('postgresql://h/db')).toMatchObject({
      kind: 'postgres',
      redacted: 'postgresql://h/db',
    });
    expect(parseStoreUrl('postgres://u@h/db?password=secret')).toMatchObject({
      redacted: 'postgres://u@h/db?password=***',
    });
  });

  it('refuses unknown schemes and PostgreSQL URLs without a host or database, never echoing a password', () => {
    expect(() => parseStoreUrl('mysql://u:secret@h/db')).toThrow(/unknown scheme 'mysql'/);
    expect(() => parseStoreUrl('mysql://u:secret@h/db')).not.toThrow(/secret/);
    expect(() => parseStoreUrl('postgres://u:secret@h')).toThrow(
      /'postgres:\/\/u:\*\*\*@h' names no database/,
    );
    expect(() => parseStoreUrl('postgres://u:secret@h/')).toThrow(/names no database/);
    expect(() => parseStoreUrl('postgres://u:secret@h:notaport/db')).toThrow(/is not a valid PostgreSQL URL/);
    expect(() => parseStoreUrl('postgres://u:secret@h:notaport/db')).not.toThrow(/secret/);
    expect(() => parseStoreUrl('postgres:///db')).toThrow(/names no host/);
    expect(() => parseStoreUrl('')).toThrow(LarderError);
    for (const bad of ['postgres://u:secret@h', 'postgres://u:secret@h:x/db', 'mysql://u:secret@h/db'])
      try {
        parseStoreUrl(bad);
      } catch (err) {
        expect((err as LarderError).code).toBe('USAGE');
      }
  });
});

describe('redactStoreUrl', () => {
  it('hides passwords, also ones holding @ or /, and password parameters', () => {
    expect(redactStoreUrl('postgres://u:p@ss/w@h:1/db')).toBe('postgres://u:***@h:1/db');
    expect(redactStoreUrl('postgres://h/db?a=1&password=x&b=2')).toBe('postgres://h/db?a=1&password=***&b=2');
    expect(redactStoreUrl('postgres://u@h/db')).toBe('postgres://u@h/db');
    expect(redactStoreUrl('postgres://h:5432/db')).toBe('postgres://h:5432/db');
  });
});

describe('openStore', () => {
  it('creates the file (and its directory) in WAL mode and records the migrations', async () => {
    const path = join(dir, 'sub', 'vuln.db');
    const store = await openStore(path);
    expect(store.schemaVersion).toBe(STORE_SCHEMA_VERSION);
    expect(store.location).toBe(path);
    const rows = await store.db.selectFrom('store_migrations').selectAll().execute();
    expect(rows.map((r) => r.version)).toEqual(STORE_MIGRATIONS.map((m) => m.version));
    await store.close();
    await store.close();
    const raw = new Database(path);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
    const again = await openStore(`sqlite:${path}`);
    expect(await again.db.selectFrom('store_migrations').selectAll().execute()).toEqual(rows);
    await again.close();
  });

  it('mustExist refuses a missing file without creating it', async () => {
    const err = await failure(openStore(join(dir, 'none.db'), { mustExist: true }));
    expect(err.code).toBe('NOT_FOUND');
    expect(err.message).toContain('none.db');
    expect(() => readFileSync(join(dir, 'none.db'))).toThrow();
  });

  it('a file that is not a database is STORE_INVALID naming it', async () => {
    const path = join(dir, 'junk.db');
    writeFileSync(path, 'this is not sqlite\n'.repeat(100));
    const err = await failure(openStore(path));
    expect(err.code).toBe('STORE_INVALID');
    expect(err.message).toContain(path);
    expect(readFileSync(path, 'utf8')).toBe('this is not sqlite\n'.repeat(100));
  });

  it('a database of another application is refused, not extended', async () => {
    const path = join(dir, 'other.db');
    const raw = new Database(path);
    raw.exec('create table notes (x text)');
    raw.close();
    const err = await failure(openStore(path));
    expect(err.code).toBe('STORE_INVALID');
    expect(err.message).toContain('not a larder store (tables: notes)');
  });

  it('a schema written by a newer larder is refused', async () => {
    const path = join(dir, 'newer.db');
    await (await openStore(path)).close();
    const raw = new Database(path);
    raw.prepare("insert into store_migrations values (999, 'future', '2030-01-01T00:00:00Z')").run();
    raw.close();
    const err = await failure(openStore(path));
    expect(err.code).toBe('STORE_INVALID');
    expect(err.message).toMatch(/schema version 999 was written by a newer larder/);
  });

  it('a directory is an IO error', async () => {
    mkdirSync(join(dir, 'd.db'));
    const err = await failure(openStore(join(dir, 'd.db')));
    expect(err.code).toBe('IO');
    expect(err.message).toContain('d.db');
  });

  it('write() commits together or not at all; sync reads see committed rows', async () => {
    const store = await openStore(':memory:');
    const row = { name: 'a', kind: 'secdb', location: 'x', imported_at: 't', digest: 'd', counts: '{}' };
    await store.write(async (db) => {
      await db
        .insertInto('vuln_sources')
        .values({ id: 1, ...row })
        .execute();
    });
    await expect(
      store.write(async (db) => {
        await db
          .insertInto('vuln_sources')
          .values({ id: 2, ...row, name: 'b' })
          .execute();
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const query = store.db.selectFrom('vuln_sources').select(['id', 'name']).orderBy('id').compile();
    expect(store.sync?.all(query)).toEqual([{ id: 1, name: 'a' }]);
    expect(store.sync?.all(query)).toEqual([{ id: 1, name: 'a' }]);
    // runEach inside write(): one prepared INSERT per row, part of the transaction.
    const insert = store.db
      .insertInto('vuln_aliases')
      .values({ source_id: 1, id: 'X', alias: 'Y' })
      .compile();
    await expect(
      store.write(async () => {
        store.sync?.runEach(insert, [
          [1, 'CVE-1', 'GHSA-1'],
          [1, 'CVE-1', 'GO-1'],
        ]);
        throw new Error('undo');
      }),
    ).rejects.toThrow('undo');
    await store.write(async () => store.sync?.runEach(insert, [[1, 'CVE-2', 'GHSA-2']]));
    const aliases = store.db.selectFrom('vuln_aliases').select(['id', 'alias']).compile();
    expect(store.sync?.all(aliases)).toEqual([{ id: 'CVE-2', alias: 'GHSA-2' }]);
    await store.close();
  });
});
