import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { newPackageRecord } from '../../../src/apk/index-record.js';
import {
  formatApkIndexText,
  parseApkIndexBytes,
  parseApkIndexText,
  sortApkIndexRecords,
} from '../../../src/apk/index-text.js';
import { isLarderError } from '../../../src/core/index.js';

const FIXTURES = '/work/shared/fixtures';

/** The APKINDEX member of an APKINDEX.tar.gz: GNU tar reads both gzip members as one stream. */
function apkindexOf(file: string): Buffer {
  return execFileSync('tar', ['-xzOf', file, 'APKINDEX'], { maxBuffer: 64 << 20 });
}

describe('APKINDEX text: real indexes', () => {
  it('parses the 5,004-package Alpine 3.17 aarch64 index and writes it back byte for byte', () => {
    const bytes = apkindexOf(`${FIXTURES}/index/alpine-317-aarch64/APKINDEX.tar.gz`);
    const text = bytes.toString('utf8');
    const start = performance.now();
    const records = parseApkIndexText(text, 'alpine-317');
    const elapsed = performance.now() - start;
    expect(records).toHaveLength(5004);
    // Generous: the target is well under 50 ms, but CI machines are shared.
    expect(elapsed).toBeLessThan(2000);
    expect(records.every((r) => r.checksum?.startsWith('Q1') && r.arch === 'aarch64')).toBe(true);
    expect(records.filter((r) => r.maintainer !== undefined)).toHaveLength(
      text.split('\n').filter((l) => l.startsWith('m:')).length,
    );
    expect(Buffer.from(formatApkIndexText(records), 'utf8').equals(bytes)).toBe(true);

    const first = records[0];
    expect(first).toMatchObject({
      name: 'nasm-doc',
      version: '2.15.05-r1',
      size: 8948,
      installedSize: 32768,
      buildTime: 1666619671,
      origin: 'nasm',
      installIf: ['docs', 'nasm=2.15.05-r1'],
      depends: [],
      fieldOrder: 'CPVASITULomtci',
    });
    // apk-tools' own order: writing without the recorded order gives the same text.
    const canonical = records.map(({ fieldOrder: _, ...rest }) => rest);
    expect(formatApkIndexText(canonical)).toBe(text);
  });

  it.each([
    ['index/signing', 16],
    ['index/rsa256-signed', 1],
    ['repo/melange-test/aarch64', 4],
    ['repo/melange-test/x86_64', 4],
  ])('round-trips %s (%i records), keeping apko/melange field order', (dir, count) => {
    const text = apkindexOf(`${FIXTURES}/${dir}/APKINDEX.tar.gz`).toString('utf8');
    const records = parseApkIndexText(text, dir);
    expect(records).toHaveLength(count);
    expect(formatApkIndexText(records)).toBe(text);
    expect(parseApkIndexText(formatApkIndexText(records))).toEqual(records);
  });

  it('keeps melange t:0 and apko k after p', () => {
    const melange = parseApkIndexText(
      apkindexOf(`${FIXTURES}/repo/melange-test/x86_64/APKINDEX.tar.gz`).toString(),
    );
    expect(melange[0]?.buildTime).toBe(0);
    expect(formatApkIndexText(melange)).toContain('\nt:0\n');
    const signing = parseApkIndexText(apkindexOf(`${FIXTURES}/index/signing/APKINDEX.tar.gz`).toString());
    const ld = signing.find((r) => r.name === 'ld-linux');
    expect(ld?.providerPriority).toBe(10);
    expect(ld?.fieldOrder).toBe('CPVASITLotcDpk');
  });
});

describe('APKINDEX text: parsing rules', () => {
  it('ignores lines without ":" second, reads X: as an empty value, splits lists on spaces', () => {
    const text = 'junk\nP:a\nx\nV:1-r0\nU:\nD:b  c>1\n\n\n\nP:d\nV:2\n';
    const [a, d] = parseApkIndexText(text);
    expect(a).toMatchObject({
      name: 'a',
      version: '1-r0',
      url: '',
      depends: ['b', 'c>1'],
      fieldOrder: 'PVUD',
    });
    expect(d).toMatchObject({ name: 'd', version: '2', fieldOrder: 'PV' });
    expect(formatApkIndexText([a!, d!])).toBe('P:a\nV:1-r0\nU:\nD:b c>1\n\nP:d\nV:2\n\n');
  });

  it('keeps unknown letters in order; a non-lower-case one marks the package uninstallable', () => {
    const [rec] = parseApkIndexText('P:a\nz:new field\nV:1\nX:future\nF:etc\nz:again\n');
    expect(rec?.extra).toEqual([
      ['z', 'new field'],
      ['X', 'future'],
      ['F', 'etc'],
      ['z', 'again'],
    ]);
    expect(rec?.uninstallable).toBe('X');
    expect(formatApkIndexText([rec!])).toBe('P:a\nz:new field\nV:1\nX:future\nF:etc\nz:again\n\n');
  });

  it("reads apko's bracketed i: as a list", () => {
    const [rec] = parseApkIndexText('P:a\nV:1\ni:[]\n\nP:b\nV:1\ni:[x y=1]\n');
    expect(rec?.installIf).toEqual([]);
    expect(parseApkIndexText('P:b\nV:1\ni:[x y=1]\n')[0]?.installIf).toEqual(['x', 'y=1']);
  });

  it.each([
    ['P:a\nV:1\nS:12a\n', 'record 1 (line 3): S: "12a" is not a decimal number'],
    ['P:a\nV:1\nI:\n', 'record 1 (line 3): I: empty value'],
    ['P:a\nV:1\nt:-5\n', 't: "-5" is not a decimal number'],
    ['P:a\nV:1\nk:99999999999999999999\n', 'k: "99999999999999999999" is too large'],
    ['P:a\nV:1\nC:Q1abc\n', 'C: "Q1abc" is not a Q1/X1 checksum'],
    ['P:a\nV:1\n\nV:2\nA:x\n', 'record 2 (line 4): missing P: (name)'],
    ['P:a\nA:x\n', 'record 1 (line 1): missing V: (version) for a'],
    ['P:\nV:1\n', 'missing P: (name)'],
  ])('rejects %j', (text, message) => {
    expect(() => parseApkIndexText(text, 'idx')).toThrow(message);
    try {
      parseApkIndexText(text);
    } catch (err) {
      expect(isLarderError(err, 'INDEX_INVALID')).toBe(true);
    }
  });
});

describe('APKINDEX text: writing', () => {
  it("writes built records in apk-tools' order with its defaults", () => {
    const rec = { ...newPackageRecord('hello', '2.12-r0'), checksum: 'Q1LLq2qDNrS/qRnhxQ3hsY/sHbQnc=' };
    Object.assign(rec, {
      arch: 'x86_64',
      buildTime: 0,
      providerPriority: 5,
      provides: ['cmd:hello=2.12-r0'],
    });
    Object.assign(rec, { depends: ['so:libc.so.6'], origin: 'hello', extra: [['z', 'later']] });
    expect(formatApkIndexText([rec])).toBe(
      'C:Q1LLq2qDNrS/qRnhxQ3hsY/sHbQnc=\nP:hello\nV:2.12-r0\nA:x86_64\nS:0\nI:0\nT:\nU:\nL:\no:hello\nk:5\n' +
        'D:so:libc.so.6\np:cmd:hello=2.12-r0\nz:later\n\n',
    );
    expect(formatApkIndexText([])).toBe('');
  });

  it('appends fields set after parsing, in canonical position order', () => {
    const [rec] = parseApkIndexText('P:a\nV:1\nD:b\n');
    rec!.providerPriority = 3;
    rec!.license = 'MIT';
    expect(formatApkIndexText([rec!])).toBe('P:a\nV:1\nD:b\nL:MIT\nk:3\n\n');
  });

  it('refuses records that would not read back', () => {
    expect(() => formatApkIndexText([newPackageRecord('', '1')])).toThrow(/empty name/);
    const rec = { ...newPackageRecord('a', '1'), description: 'two\nlines' };
    expect(() => formatApkIndexText([rec])).toThrow(/bad field line/);
  });

  it('sorts by name, then by the given version comparison, without mutating', () => {
    const input = [newPackageRecord('b', '1'), newPackageRecord('a', '10'), newPackageRecord('a', '9')];
    const numeric = (x: string, y: string) => Number(x) - Number(y);
    const sorted = sortApkIndexRecords(input, numeric);
    expect(sorted.map((r) => `${r.name}-${r.version}`)).toEqual(['a-9', 'a-10', 'b-1']);
    expect(input[0]?.name).toBe('b');
  });
});

describe('APKINDEX bytes: latin1 with UTF-8 lines', () => {
  const run = (f: () => unknown): unknown => {
    try {
      return f();
    } catch (err) {
      return String(err);
    }
  };

  it('reads the real index as its UTF-8 text reads (it has non-ASCII descriptions)', () => {
    const bytes = apkindexOf(`${FIXTURES}/index/alpine-317-aarch64/APKINDEX.tar.gz`);
    expect(bytes.some((b) => b > 0x7f)).toBe(true);
    expect(parseApkIndexBytes(bytes, 'x')).toEqual(parseApkIndexText(bytes.toString('utf8'), 'x'));
  });

  it.each([
    ['a non-ASCII value', 'P:a\nV:1\nT:caf\u00e9 \u2603\n\n'],
    ['a non-ASCII letter', 'P:a\nV:1\n\u00e9:x\n\n'],
    ['an error after a non-ASCII line', 'P:a\nV:1\nT:\u00e9\nS:x\n\n'],
  ])('reads %s as the decoded text does', (_, text) => {
    const bytes = Buffer.from(text, 'utf8');
    expect(run(() => parseApkIndexBytes(bytes))).toEqual(run(() => parseApkIndexText(text)));
  });

  it('replaces invalid UTF-8 exactly as decoding the whole buffer does', () => {
    const bad = [0xe2, 0x82, 0xff, 0xc3, 0xf0, 0x9f, 0x98, 0xef, 0xbb, 0xbf, 0x80];
    for (let i = 0; i < bad.length; i++) {
      const bytes = Buffer.concat([
        Buffer.from('P:a\nV:1\nT:'),
        Buffer.from(bad.slice(i)),
        Buffer.from('\nm:'),
        Buffer.from(bad.slice(0, i)),
        Buffer.from('\n\n'),
      ]);
      expect(parseApkIndexBytes(bytes)).toEqual(parseApkIndexText(bytes.toString('utf8')));
    }
  });
});
