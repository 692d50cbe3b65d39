import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_SCHEMA_VERSION } from '../../src/store/index.js';
import { larder } from '../kit/cli.js';
import { startFakeHttpServer } from '../kit/fake-http-server.js';
import { CLI, own, tempDir } from '../kit/paths.js';

const WOLFI = own('secdb', 'wolfi-security.json');
const ALPINE = own('secdb', 'alpine-3.16-main.json');
const RECORDS = own('osv', 'records');
const ADVISORIES = own('advisories', 'wolfi-like');

let dir: string;
let zip: string;
beforeAll(async () => {
  dir = await tempDir('larder-vulndb-cli-');
  zip = join(dir, 'all.zip');
  // The system zip (Info-ZIP, deflated members) writes the export, as osv.dev's all.zip is.
  await promisify(execFile)('zip', ['-q', '-r', zip, '.'], { cwd: RECORDS });
});

function status(db: string) {
  const r = larder(['vuln', 'db', 'status', '--db', db, '--json']);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout);
}

describe('larder vuln db import / status', () => {
  it('imports every kind of source and reports per source', () => {
    const db = join(dir, 'v.db');
    const r = larder([
      'vuln',
      'db',
      'import',
      '--db',
      db,
      '--advisories',
      ADVISORIES,
      '--secdb',
      WOLFI,
      '--secdb',
      ALPINE,
      '--osv',
      zip,
    ]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      [
        `imported advisories ${ADVISORIES}: 6 files, 25 distro records, 0 range records, 25 vulnerabilities`,
        `imported secdb ${WOLFI}: 11 distro records, 0 range records, 11 vulnerabilities`,
        `imported secdb ${ALPINE}: 8 distro records, 0 range records, 8 vulnerabilities`,
        `imported osv ${zip}: 12 files, 4 distro records, 7 range records, 11 vulnerabilities (skipped: 1 ecosystem RubyGems)`,
        '',
      ].join('\n'),
    );
    const s = status(db);
    expect(s.schemaVersion).toBe(STORE_SCHEMA_VERSION);
    expect(s.sources.map((x: { kind: string }) => x.kind)).toEqual(['advisories', 'osv', 'secdb', 'secdb']);
    expect(s.totals).toEqual({ vulnerabilities: 54, distroRecords: 48, rangeRecords: 7 });

    const text = larder(['vuln', 'db', 'status', '--db', db]);
    expect(text.stdout).toContain(`database         ${db}\n`);
    expect(text.stdout).toContain('vulnerabilities  54\n');
    expect(text.stdout).toMatch(/\nosv\s+\S+\s+4\s+7\s+11\s+\S+all\.zip\n/);
  });

  it('re-importing replaces a source; the zip and the directory give the same records', () => {
    const db = join(dir, 'again.db');
    expect(larder(['vuln', 'db', 'import', '--db', db, '--osv', RECORDS, '--osv', zip]).status).toBe(0);
    const first = status(db);
    expect(first.totals).toEqual({ vulnerabilities: 11, distroRecords: 8, rangeRecords: 14 });
    expect(larder(['vuln', 'db', 'import', '--db', db, '--osv', zip, '--json']).status).toBe(0);
    const second = status(db);
    expect(second.sources.length).toBe(2);
    expect(second.totals).toEqual(first.totals);
  });

  it('a corrupt or truncated zip fails with exit 2 naming it, and the database is unchanged', () => {
    const db = join(dir, 'atomic.db');
    expect(larder(['vuln', 'db', 'import', '--db', db, '--secdb', WOLFI]).status).toBe(0);
    const before = readFileSync(db);
    const bytes = readFileSync(zip);
    const truncated = join(dir, 'truncated.zip');
    writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const corrupt = join(dir, 'corrupt.zip');
    const flipped = Buffer.from(bytes);
    // Damage the compressed bytes of the member holding the file's middle (its CRC fails).
    const middle = Math.floor(bytes.length / 2);
    for (let i = middle; i < middle + 16; i++) flipped[i] = flipped[i]! ^ 0x5a;
    writeFileSync(corrupt, flipped);
    for (const bad of [truncated, corrupt]) {
      const r = larder(['vuln', 'db', 'import', '--db', db, '--secdb', ALPINE, '--osv', bad]);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(new RegExp(`^larder: ZIP_INVALID: ${bad.replace(/[.]/g, '\\.')}`));
      expect(readFileSync(db).equals(before)).toBe(true);
    }
    expect(status(db).sources.length).toBe(1);
  });

  it('broken inputs name file and place; no database file is created', () => {
    const db = join(dir, 'never.db');
    const r = larder(['vuln', 'db', 'import', '--db', db, '--secdb', own('secdb', 'bad', 'not-json.json')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `larder: SECDB_INVALID: ${own('secdb', 'bad', 'not-json.json')}: line 4 col 3: malformed JSON (unexpected "]")\n`,
    );
    const osv = larder(['vuln', 'db', 'import', '--db', db, '--osv', own('osv', 'bad', 'wrong-types.json')]);
    expect(osv.status).toBe(2);
    expect(osv.stderr).toContain('OSV_INVALID');
    expect(osv.stderr).toContain('aliases: expected array, received string');
    expect(existsSync(db)).toBe(false);
  });

  it('usage errors and a missing database', () => {
    expect(larder(['vuln', 'db', 'import', '--db', join(dir, 'x.db')]).stderr).toBe(
      'larder: USAGE: nothing to import: give --advisories, --secdb or --osv\n',
    );
    expect(larder(['vuln', 'db', 'import', '--secdb', WOLFI, '--distro', 'Wolfi Linux']).status).toBe(2);
    const missing = larder(['vuln', 'db', 'status', '--db', join(dir, 'none.db')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^larder: NOT_FOUND: .*none\.db: no vulnerability database/);
    const junk = join(dir, 'junk.db');
    writeFileSync(junk, 'not sqlite'.repeat(200));
    const r = larder(['vuln', 'db', 'status', '--db', junk]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^larder: VULN_DB_INVALID: .*junk\.db: not a usable SQLite database/);
  });

  it('the default database lives in the state directory', () => {
    const state = join(dir, 'state');
    expect(larder(['vuln', 'db', 'import', '--state-dir', state, '--secdb', WOLFI]).status).toBe(0);
    expect(existsSync(join(state, 'vuln', 'vuln.db'))).toBe(true);
    expect(larder(['vuln', 'db', 'status', '--json'], { env: { LARDER_STATE_DIR: state } }).status).toBe(0);
  });
});

describe('secdb over http', () => {
  const server = startFakeHttpServer();
  afterAll(async () => (await server).close());

  it('fetches a secdb URL through the download cache', async () => {
    const s = await server;
    s.put('/os/security.json', readFileSync(WOLFI));
    const db = join(dir, 'http.db');
    const state = join(dir, 'http-state');
    const url = `${s.url}/os/security.json`;
    const run = (extra: string[]) =>
      promisify(execFile)(
        process.execPath,
        [CLI, 'vuln', 'db', 'import', '--db', db, '--state-dir', state, '--secdb', url, ...extra],
        { env: { ...process.env, LARDER_QUIET: '1' } },
      );
    const { stdout } = await run(['--distro', 'wolfi']);
    expect(stdout).toBe(`imported secdb ${url}: 11 distro records, 0 range records, 11 vulnerabilities\n`);
    expect(status(db).sources[0].location).toBe(url);
    // Offline, the cached copy serves.
    await run(['--offline']);
    expect(s.requestsFor('/os/security.json').length).toBe(1);
  });
});
