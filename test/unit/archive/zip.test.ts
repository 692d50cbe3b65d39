import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readZipEntries } from '../../../src/archive/index.js';
import { LarderError } from '../../../src/core/index.js';
import { prng } from '../../kit/prng.js';

// Archives are written by Python's zipfile (an independent writer): stored and deflated members,
// a directory, a UTF-8 name, forced ZIP64 records, a nested zip.
const dir = mkdtempSync(join(tmpdir(), 'larder-zip-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function pyZip(file: string, zip64: boolean): Buffer {
  const path = join(dir, file);
  const script = `
import io, sys, zipfile
inner = io.BytesIO()
with zipfile.ZipFile(inner, 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('META-INF/maven/org.example/lib/pom.properties', 'groupId=org.example\\nartifactId=lib\\nversion=1.2.3\\n')
with zipfile.ZipFile(sys.argv[1], 'w', allowZip64=True) as z:
    z.writestr(zipfile.ZipInfo('dir/'), b'')
    z.writestr('stored.txt', b'plain bytes', compress_type=zipfile.ZIP_STORED)
    info = zipfile.ZipInfo('big.txt')
    info.compress_type = zipfile.ZIP_DEFLATED
    z.writestr(info, b'0123456789' * 50000)
    z.writestr('caf\\u00e9/\\u00fc.json', b'{"a":1}', compress_type=zipfile.ZIP_DEFLATED)
    z.writestr('nested.jar', inner.getvalue())
    if ${zip64 ? 'True' : 'False'}:
        # Lowered before the central directory is written: ZIP64 extra fields and end records.
        zipfile.ZIP64_LIMIT = 8
        zipfile.ZIP_FILECOUNT_LIMIT = 1
`;
  execFileSync('python3', ['-c', script, path]);
  return readFileSync(path);
}

describe('readZipEntries', () => {
  for (const zip64 of [false, true]) {
    it(`reads stored, deflated, UTF-8 and nested members${zip64 ? ' with ZIP64 records' : ''}`, () => {
      const entries = readZipEntries(pyZip(`a${zip64}.zip`, zip64), 'a.zip');
      expect(entries.map((e) => e.name)).toEqual([
        'dir/',
        'stored.txt',
        'big.txt',
        'café/ü.json',
        'nested.jar',
      ]);
      const byName = new Map(entries.map((e) => [e.name, e]));
      expect(byName.get('dir/')?.isDirectory).toBe(true);
      expect(byName.get('stored.txt')?.data().toString()).toBe('plain bytes');
      const big = byName.get('big.txt');
      expect(big?.method).toBe(8);
      expect(big?.data().equals(Buffer.from('0123456789'.repeat(50000)))).toBe(true);
      expect(byName.get('café/ü.json')?.data().toString()).toBe('{"a":1}');
      const nested = readZipEntries(byName.get('nested.jar')?.data() ?? Buffer.alloc(0), 'a.zip!nested.jar');
      expect(nested.map((e) => e.name)).toEqual(['META-INF/maven/org.example/lib/pom.properties']);
      expect(nested[0]?.data().toString()).toContain('version=1.2.3');
    });
  }

  it('names the archive and the problem for broken input', () => {
    const good = pyZip('b.zip', false);
    const cases: [string, Buffer, RegExp][] = [
      ['empty', Buffer.alloc(0), /no end of central directory/],
      [
        'not a zip',
        Buffer.from('hello world, this is not a zip archive at all'),
        /no end of central directory/,
      ],
      ['truncated', good.subarray(100), /b\.zip: /],
      [
        'cut before the directory',
        Buffer.concat([good.subarray(0, 200), good.subarray(good.length - 22)]),
        /b\.zip: /,
      ],
    ];
    for (const [what, bytes, message] of cases) {
      let err: unknown;
      try {
        for (const e of readZipEntries(bytes, 'b.zip')) e.data();
      } catch (e) {
        err = e;
      }
      expect(err, what).toBeInstanceOf(LarderError);
      expect((err as LarderError).code, what).toBe('ZIP_INVALID');
      expect((err as LarderError).message, what).toMatch(message);
    }
  });

  it('detects a flipped byte in member data by its CRC', () => {
    const good = pyZip('c.zip', false);
    const entries = readZipEntries(good, 'c.zip');
    const stored = good.indexOf('plain bytes');
    const bad = Buffer.from(good);
    bad[stored] = 0x50;
    expect(() =>
      readZipEntries(bad, 'c.zip')
        .find((e) => e.name === 'stored.txt')
        ?.data(),
    ).toThrow(/CRC-32 mismatch/);
    expect(entries.length).toBe(5);
  });

  it('fails with ZIP_INVALID, never crashes or hangs, on 2,000 mutated archives', () => {
    const good = pyZip('d.zip', true);
    const random = prng(0x21b);
    for (let i = 0; i < 2000; i++) {
      const input = Buffer.from(good);
      const flips = 1 + Math.floor(random() * 8);
      for (let f = 0; f < flips; f++) input[Math.floor(random() * input.length)] = Math.floor(random() * 256);
      const cut = random() < 0.3 ? input.subarray(0, Math.floor(random() * input.length)) : input;
      try {
        for (const e of readZipEntries(cut, 'd.zip', { maxEntrySize: 1 << 24 })) e.data();
      } catch (err) {
        expect(err).toBeInstanceOf(LarderError);
        expect((err as LarderError).code).toBe('ZIP_INVALID');
      }
    }
  });
});
