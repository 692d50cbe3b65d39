import { copyFileSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LarderError } from '../../../../src/core/index.js';
import { STORE_SCHEMA_VERSION } from '../../../../src/store/index.js';
import { memoryVulnSource, openVulnDatabase } from '../../../../src/vuln/db/index.js';
import {
  concatFeedRecords,
  type FeedInput,
  readOsvPath,
  readSecdbFile,
} from '../../../../src/vuln/feeds/index.js';
import type { Ecosystem } from '../../../../src/vuln/model.js';

const FIXTURES = join(import.meta.dirname, '../../../fixtures');
const scratch = mkdtempSync(join(tmpdir(), 'larder-vulndb-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const secdb = await readSecdbFile(join(FIXTURES, 'secdb/wolfi-security.json'));
const alpine = await readSecdbFile(join(FIXTURES, 'secdb/alpine-3.16-main.json'));
const osv = await readOsvPath(join(FIXTURES, 'osv/records'));
const NOW = new Date('2099-06-01T00:00:00Z');

async function failure(promise: Promise<unknown>): Promise<LarderError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof LarderError) return err;
    throw err;
  }
  throw new Error('expected a LarderError');
}

describe('VulnDatabase', async () => {
  const path = join(scratch, 'vuln.db');
  const db = await openVulnDatabase(path);
  const imported = await db.import([secdb, alpine, osv], { now: NOW });
  afterAll(() => db.close());

  it('reports per source what it imported', () => {
    expect(
      imported.map((s) => [s.kind, s.counts.distroRecords, s.counts.rangeRecords, s.counts.vulnerabilities]),
    ).toEqual([
      ['secdb', 11, 0, 11],
      ['secdb', 8, 0, 8],
      ['osv', 4, 7, 11],
    ]);
    expect(imported[2]?.counts.skipped).toEqual({ 'ecosystem RubyGems': 1 });
    expect(imported[0]?.name).toBe(`secdb:${join(FIXTURES, 'secdb/wolfi-security.json')}`);
    expect(imported[0]?.importedAt).toBe('2099-06-01T00:00:00.000Z');
  });

  it('answers as a memory source over the same records does', () => {
    const memory = memoryVulnSource(concatFeedRecords([secdb.records, alpine.records, osv.records]));
    for (const pkg of ['openssl', 'zlib', 'busybox', 'glibc', 'redis-operator', 'musl', 'nothing'])
      expect(db.distroRecords(pkg)).toEqual(memory.distroRecords(pkg));
    const names: [Ecosystem, string][] = [
      ['go', 'stdlib'],
      ['go', 'github.com/example/yamlish'],
      ['pypi', 'jinja2-ext'],
      ['npm', '@example/left-pad'],
      ['maven', 'org.example:example-core'],
      ['cargo', 'tinyvec-ish'],
      ['npm', 'stdlib'],
    ];
    for (const [ecosystem, name] of names)
      expect(db.rangeRecords(ecosystem, name)).toEqual(memory.rangeRecords(ecosystem, name));
    for (const id of [
      'CVE-2099-0103',
      'CGA-5c6f-7g8h-9j2m',
      'GHSA-2222-3333-4444',
      'CVE-2099-0601',
      'XSA-2099',
      'NOPE-1',
    ])
      expect(db.vulnerability(id)).toEqual(memory.vulnerability(id));
  });

  it('merges a vulnerability over sources and aliases', () => {
    const busybox = db.distroRecords('busybox').map((r) => [r.distro, r.vulnerability, r.state]);
    expect(busybox).toEqual([
      ['wolfi', 'CVE-2099-0302', 'not-affected'],
      ['wolfi', 'CGA-9c2f-3g4h-5j6m', 'fixed'],
      ['alpine:3.16', 'CVE-2099-1201', 'not-affected'],
      ['alpine:3.16', 'CVE-2099-1202', 'fixed'],
      ['alpine:3.16', 'ALPINE-CVE-2099-1501', 'fixed'],
      ['chainguard', 'CGA-xw8c-3f4g-5h6j', 'not-affected'],
    ]);
    // The secdb's CGA group and the OSV record of the same CGA id are one vulnerability.
    expect(db.vulnerability('CVE-2099-0103')).toEqual({
      id: 'CVE-2099-0103',
      aliases: ['CGA-5c6f-7g8h-9j2m', 'GHSA-5c6f-7g8h-9j2m'],
      severity: 'unknown',
      cvss: [],
      modified: '2099-05-01T12:00:00Z',
      references: [],
    });
    const yamlish = db.vulnerability('CVE-2099-2002');
    expect(yamlish).toMatchObject({
      id: 'CVE-2099-2002',
      aliases: ['GHSA-2222-3333-4444', 'GO-2099-0002'],
      summary: 'Synthetic: code execution in yamlish decoding',
      severity: 'critical',
      cvss: [{ version: '3.1', score: 9.8 }],
    });
    // The secdb lists GO-2099-0001 among redis-operator's aliases; asking by the Go id finds
    // the Go record and the CGA advisory both.
    expect(db.vulnerability('GO-2099-0001')?.aliases).toEqual([
      'CGA-pqrv-wx23-4567',
      'CVE-2099-0501',
      'CVE-2099-2001',
      'GHSA-pqrv-wx23-4567',
    ]);
    expect(db.vulnerability('NOPE-1')).toBeUndefined();
  });

  it('status lists sources and totals', async () => {
    const status = await db.status();
    expect(status.location).toBe(path);
    expect(status.schemaVersion).toBe(STORE_SCHEMA_VERSION);
    expect(status.sources.map((s) => s.kind)).toEqual(['osv', 'secdb', 'secdb']);
    expect(status.totals).toEqual({ vulnerabilities: 29, distroRecords: 23, rangeRecords: 7 });
  });
});

describe('re-import and atomicity', () => {
  it('re-importing a source replaces its records and keeps the others', async () => {
    const file = join(scratch, 'security.json');
    copyFileSync(join(FIXTURES, 'secdb/wolfi-security.json'), file);
    const db = await openVulnDatabase(join(scratch, 'reimport.db'));
    await db.import([await readSecdbFile(file), osv]);
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    doc.packages = doc.packages.filter((p: { pkg: { name: string } }) => p.pkg.name === 'zlib');
    writeFileSync(file, JSON.stringify(doc));
    const [again] = await db.import([await readSecdbFile(file)]);
    expect(again?.counts.distroRecords).toBe(2);
    expect(db.distroRecords('openssl').map((r) => r.source)).toEqual(['osv:CGA-5c6f-7g8h-9j2m']);
    expect(db.distroRecords('zlib').length).toBe(3);
    const status = await db.status();
    expect(status.sources.length).toBe(2);
    expect(status.totals.distroRecords).toBe(2 + 4);
    await db.close();
  });

  it('a failing import leaves the database as it was', async () => {
    const db = await openVulnDatabase(join(scratch, 'atomic.db'));
    await db.import([secdb]);
    const before = await db.status();
    const broken: FeedInput = {
      ...osv,
      records: { ...osv.records, distro: [...osv.records.distro, { package: null } as never] },
    };
    await expect(db.import([alpine, broken])).rejects.toThrow();
    expect(await db.status()).toEqual(before);
    expect(db.distroRecords('musl')).toEqual([]);
    await db.close();
  });
});

describe('damaged database files', () => {
  it('a file that is not a database is VULN_DB_INVALID naming it', async () => {
    const path = join(scratch, 'junk.db');
    writeFileSync(path, Buffer.alloc(8192, 0x41));
    const err = await failure(openVulnDatabase(path));
    expect(err.code).toBe('VULN_DB_INVALID');
    expect(err.message).toContain(path);
  });

  it('a truncated database fails reads with VULN_DB_INVALID', async () => {
    const path = join(scratch, 'truncated.db');
    const db = await openVulnDatabase(path);
    await db.import([secdb, alpine, osv]);
    await db.close();
    truncateSync(path, 8192);
    const err = await failure(
      (async () => {
        const again = await openVulnDatabase(path);
        try {
          again.distroRecords('openssl');
          await again.status();
        } finally {
          await again.close();
        }
      })(),
    );
    expect(err.code).toBe('VULN_DB_INVALID');
    expect(err.message).toContain(path);
  });

  it('mustExist refuses a missing database', async () => {
    const err = await failure(openVulnDatabase(join(scratch, 'none.db'), { mustExist: true }));
    expect(err.code).toBe('NOT_FOUND');
  });
});
