import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LarderError } from '../../../../src/core/index.js';
import { addOsvFile, feedSink, readOsvPath } from '../../../../src/vuln/feeds/index.js';
import { storedZip } from '../../../kit/zip-writer.js';

const FIXTURES = join(import.meta.dirname, '../../../fixtures/osv');
const RECORDS = join(FIXTURES, 'records');
const scratch = mkdtempSync(join(tmpdir(), 'larder-osv-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function recordFiles(): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else out[relative(RECORDS, full)] = readFileSync(full, 'utf8');
    }
  };
  walk(RECORDS);
  return out;
}

function failure(name: string): LarderError {
  try {
    addOsvFile(readFileSync(join(FIXTURES, 'bad', name)), name, feedSink());
  } catch (err) {
    if (err instanceof LarderError) return err;
    throw err;
  }
  throw new Error(`${name} parsed`);
}

describe('readOsvPath over the fixture directory', async () => {
  const input = await readOsvPath(RECORDS);
  const { ranges, distro, meta, skipped } = input.records;

  it('reads every file and counts what it skipped', () => {
    expect(input.kind).toBe('osv');
    expect(input.files).toBe(12);
    expect(input.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(skipped).toEqual({ 'ecosystem RubyGems': 1 });
  });

  it('maps language ecosystems to range records with normalized names', () => {
    expect(ranges.map((r) => [r.ecosystem, r.package, r.vulnerability]).sort()).toEqual([
      ['cargo', 'tinyvec-ish', 'RUSTSEC-2099-0001'],
      ['go', 'github.com/example/yamlish', 'GO-2099-0002'],
      ['go', 'stdlib', 'GO-2099-0001'],
      ['maven', 'org.example:example-core', 'GHSA-5555-6666-7777'],
      ['npm', '@example/left-pad', 'GHSA-4444-5555-6666'],
      ['npm', '@example/left-pad', 'GHSA-6666-7777-8888'],
      ['pypi', 'jinja2-ext', 'GHSA-3333-4444-5555'],
    ]);
    const stdlib = ranges.find((r) => r.package === 'stdlib');
    expect(stdlib).toEqual({
      ecosystem: 'go',
      package: 'stdlib',
      vulnerability: 'GO-2099-0001',
      aliases: ['CVE-2099-2001'],
      ranges: [
        {
          type: 'SEMVER',
          events: [{ introduced: '0' }, { fixed: '1.22.5' }, { introduced: '1.23.0-0' }, { fixed: '1.23.1' }],
        },
      ],
      versions: [],
      source: 'osv:GO-2099-0001',
    });
    const npm = ranges.find((r) => r.vulnerability === 'GHSA-4444-5555-6666');
    expect(npm?.ranges[0]?.events).toEqual([{ introduced: '1.0.0' }, { lastAffected: '1.3.0' }]);
    expect(npm?.versions).toEqual(['1.0.0', '1.1.0', '1.2.0', '1.3.0']);
    expect(ranges.find((r) => r.vulnerability === 'GHSA-6666-7777-8888')?.withdrawn).toBe(
      '2099-03-10T00:00:00Z',
    );
  });

  it('maps Wolfi, Chainguard and Alpine records to distro records', () => {
    expect(
      distro.map((r) => [r.distro, r.package, r.vulnerability, r.state, r.fixedVersion ?? r.reason ?? '']),
    ).toEqual([
      ['alpine:3.16', 'busybox', 'ALPINE-CVE-2099-1501', 'fixed', '1.35.0-r18'],
      ['wolfi', 'openssl', 'CGA-5c6f-7g8h-9j2m', 'fixed', '3.5.2-r0'],
      ['wolfi', 'zlib', 'CGA-wx9c-4f5g-6h7j', 'affected', ''],
      ['chainguard', 'busybox', 'CGA-xw8c-3f4g-5h6j', 'not-affected', 'false positive (OSV)'],
    ]);
    const fp = distro.find((r) => r.vulnerability === 'CGA-xw8c-3f4g-5h6j');
    expect(fp?.aliases).toEqual(['CVE-2099-0601']);
    expect(fp?.timestamp).toBe('2099-05-02T12:00:00Z');
    expect(distro.find((r) => r.package === 'zlib')?.aliases).toEqual(['CVE-2099-0701']);
  });

  it('keeps metadata: summary, CVSS with scores, stated severity as fallback', () => {
    const byId = new Map(meta.map((m) => [m.id, m]));
    expect(byId.has('GHSA-8888-9999-2222')).toBe(false);
    expect(byId.get('GO-2099-0002')).toMatchObject({
      severity: 'critical',
      cvss: [{ version: '3.1', score: 9.8 }],
      aliases: ['CVE-2099-2002', 'GHSA-2222-3333-4444'],
      published: '2099-02-02T09:00:00Z',
      modified: '2099-02-03T10:00:00Z',
      references: ['https://example.test/advisory/GO-2099-0002'],
    });
    expect(byId.get('GHSA-3333-4444-5555')).toMatchObject({ severity: 'medium', cvss: [{ score: 6.1 }] });
    expect(byId.get('GHSA-4444-5555-6666')?.severity).toBe('high'); // v4 without a score: the stated HIGH
    expect(byId.get('GHSA-5555-6666-7777')).toMatchObject({
      severity: 'high',
      cvss: [{ version: '2.0', score: 7.5 }],
    });
    expect(byId.get('RUSTSEC-2099-0001')?.severity).toBe('unknown');
    expect(byId.get('ALPINE-CVE-2099-1501')).toMatchObject({
      summary: 'Synthetic: busybox awk heap overflow',
      severity: 'high',
      aliases: ['CVE-2099-1501'],
    });
  });
});

describe('readOsvPath over zip exports and single files', () => {
  it('reads a zip export as it reads the directory', async () => {
    const zip = join(scratch, 'all.zip');
    writeFileSync(zip, storedZip({ 'nested/': '', ...recordFiles(), 'README.txt': 'not a record' }));
    const fromZip = await readOsvPath(zip);
    const fromDir = await readOsvPath(RECORDS);
    expect(fromZip.files).toBe(12);
    expect(fromZip.records).toEqual(fromDir.records);
  });

  it('reads one file holding an array of records, naming the element in errors', async () => {
    const files = recordFiles();
    const list = join(scratch, 'list.json');
    writeFileSync(list, `[${files['go/GO-2099-0001.json']},${files['go/GO-2099-0002.json']}]`);
    expect((await readOsvPath(list)).records.ranges.length).toBe(2);
    writeFileSync(list, `[${files['go/GO-2099-0001.json']},{"id":"X-1"}]`);
    await expect(readOsvPath(list)).rejects.toThrow(
      /list\.json: \[1\]\.modified: expected string, received undefined/,
    );
  });

  it('a corrupt member fails the whole read naming the zip and member', async () => {
    const zip = join(scratch, 'bad.zip');
    writeFileSync(zip, storedZip({ 'a.json': recordFiles()['go/GO-2099-0001.json']!, 'b.json': '{"id": ' }));
    await expect(readOsvPath(zip)).rejects.toThrow(
      `${zip}!b.json: line 1 col 8: malformed JSON (unexpected end of input)`,
    );
  });

  it('a truncated or damaged zip is ZIP_INVALID', async () => {
    const bytes = storedZip(recordFiles());
    const truncated = join(scratch, 'truncated.zip');
    writeFileSync(truncated, bytes.subarray(0, bytes.length - 40));
    await expect(readOsvPath(truncated)).rejects.toMatchObject({ code: 'ZIP_INVALID' });
    const flipped = Buffer.from(bytes);
    flipped[200] = flipped[200]! ^ 0xff;
    const damaged = join(scratch, 'damaged.zip');
    writeFileSync(damaged, flipped);
    await expect(readOsvPath(damaged)).rejects.toMatchObject({ code: 'ZIP_INVALID' });
  });

  it('an empty directory and a missing path are errors', async () => {
    const empty = join(scratch, 'empty');
    mkdirSync(empty);
    await expect(readOsvPath(empty)).rejects.toThrow(/no \*\.json files/);
    await expect(readOsvPath(join(scratch, 'missing'))).rejects.toMatchObject({ code: 'IO' });
  });
});

describe('broken OSV records', () => {
  it.each([
    ['malformed.json', 'malformed.json: line 4 col 3: malformed JSON (unexpected "\\"")'],
    ['missing-id.json', 'missing-id.json: id: expected string, received undefined (found nothing)'],
    [
      'not-an-object.json',
      'not-an-object.json: (top level): expected object, received string (found "GO-2099-0105")',
    ],
    [
      'bad-range-type.json',
      'bad-range-type.json: affected[0].ranges[0].type: expected one of "SEMVER"|"ECOSYSTEM"|"GIT"',
    ],
    [
      'bad-event.json',
      'bad-event.json: affected[0].ranges[0].events[0]: an event holds exactly one of introduced, fixed, last_affected, limit; affected[0].ranges[0].events[1]: unknown event key "patched"',
    ],
    [
      'bad-cvss.json',
      `bad-cvss.json: severity[0].score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:X": metric A has value 'X' (one of H, L, N)`,
    ],
    ['bad-timestamp.json', 'bad-timestamp.json: modified: "yesterday" is not an RFC 3339 timestamp'],
    [
      'bad-distro-fixed.json',
      `bad-distro-fixed.json: affected[0].ranges[0]: fixed "not a version!" is not an apk version`,
    ],
  ])('%s', (name, message) => {
    const err = failure(name);
    expect(err.code).toBe('OSV_INVALID');
    expect(err.message.startsWith(message)).toBe(true);
  });

  it('wrong types are all reported with the values found', () => {
    const err = failure('wrong-types.json');
    expect(err.message).toContain('aliases: expected array, received string (found "CVE-2099-0101")');
    expect(err.message).toContain(
      'affected[0].ranges[0].events[1].fixed: expected a non-empty string (found 5)',
    );
  });
});
