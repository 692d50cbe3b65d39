import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  readTar,
  splitGzipMembers,
  TAR_END_BLOCKS,
  type TarEvent,
  TarParser,
  tarEntry,
  tarHeader,
  writeTar,
} from '../../../src/archive/index.js';
import { FIXTURES, fixChecksum, fixtureGzipFiles, larderError } from './helpers.js';

const APKS = fixtureGzipFiles().filter((f) => f.endsWith('.apk'));

// One PAX record with its self-counting length.
function rec(key: string, value: string): string {
  const base = key.length + value.length + 3;
  const length = base + String(base + String(base).length).length;
  return `${length} ${key}=${value}\n`;
}

function events(bytes: Uint8Array, chunk = bytes.length): TarEvent[] {
  const parser = new TarParser();
  const out: TarEvent[] = [];
  for (let at = 0; at < bytes.length; at += chunk) out.push(...parser.write(bytes.subarray(at, at + chunk)));
  return [...out, ...parser.end()];
}

// A GNU tar archive of a tree with long names, a long symlink target and a fractional mtime.
function systemTar(format: string): { tar: Buffer; listing: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'larder-tar-'));
  const long = `${'d'.repeat(60)}/${'e'.repeat(70)}`;
  mkdirSync(join(dir, 'root', long), { recursive: true });
  writeFileSync(join(dir, 'root', long, `${'f'.repeat(90)}.txt`), 'long name content\n');
  writeFileSync(join(dir, 'root', 'short'), 'short\n');
  symlinkSync(`../../${long}/target`, join(dir, 'root', 'link'));
  utimesSync(join(dir, 'root', 'short'), 1700000000.75, 1700000000.75);
  const file = join(dir, 'out.tar');
  execFileSync('tar', [`--format=${format}`, '--sort=name', '-cf', file, '-C', join(dir, 'root'), '.']);
  const listing = execFileSync('tar', ['-tf', file], { encoding: 'utf8' }).trim().split('\n');
  return { tar: readFileSync(file), listing };
}

describe('readTar on real packages', () => {
  it.each(APKS)('reads every member of %s and verifies APK-TOOLS.checksum.SHA1', (file) => {
    const members = splitGzipMembers(readFileSync(file));
    const data = members[members.length - 1]!;
    const parsed = events(data.data);
    expect(parsed.at(-1)?.type).toBe('eof');
    for (const fragment of members.slice(0, -1)) {
      // Signature and control fragments end without end-of-archive blocks.
      expect(events(fragment.data).some((e) => e.type === 'eof')).toBe(false);
      expect(readTar(fragment.data).length).toBeGreaterThan(0);
    }
    let checked = 0;
    for (const { header, data: body } of readTar(data.data)) {
      const sum = header.pax.get('APK-TOOLS.checksum.SHA1')?.toString('latin1');
      if (sum === undefined) continue;
      expect(sum).toMatch(/^[0-9a-f]{40}$/);
      const content = header.type === 'symlink' ? Buffer.from(header.linkname) : body;
      if (header.type !== 'hardlink') expect(createHash('sha1').update(content).digest('hex')).toBe(sum);
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('reads hello-wolfi: the signature, .PKGINFO and the data tree', () => {
    const [sig, control, data] = splitGzipMembers(
      readFileSync(join(FIXTURES, 'apk', 'hello-wolfi-2.12.1-r0.apk')),
    );
    const [signature] = readTar(sig!.data);
    expect(signature!.header).toMatchObject({ name: '.SIGN.RSA.melange.rsa.pub', type: 'file', size: 512 });
    const [pkginfo] = readTar(control!.data);
    expect(pkginfo!.header.name).toBe('.PKGINFO');
    expect(pkginfo!.data.toString('utf8')).toContain('pkgname = hello-wolfi');
    const entries = readTar(data!.data);
    expect(entries.slice(0, 3).map((e) => [e.header.name, e.header.type, e.header.mode])).toEqual([
      ['usr', 'directory', 0o755],
      ['usr/bin', 'directory', 0o755],
      ['usr/bin/hello', 'file', 0o755],
    ]);
    expect(entries[2]!.data.length).toBe(47736);
  });

  it('gives the same events for any chunking, with data padding stripped', () => {
    const data = splitGzipMembers(readFileSync(join(FIXTURES, 'apk', 'hello-0.1.0-r0.apk'))).at(-1);
    const whole = events(data!.data);
    const merge = (list: TarEvent[]) =>
      JSON.stringify(
        list.reduce<unknown[]>((acc, e) => {
          const last = acc.at(-1) as { type: string; bytes: string } | undefined;
          if (e.type === 'data' && last?.type === 'data') last.bytes += e.bytes.toString('hex');
          else acc.push(e.type === 'data' ? { type: 'data', bytes: e.bytes.toString('hex') } : e);
          return acc;
        }, []),
        (_k, v) => (v instanceof Map ? [...v].map(([k, b]) => [k, Buffer.from(b).toString('hex')]) : v),
      );
    for (const chunk of [1, 3, 511, 513, 4096]) expect(merge(events(data!.data, chunk))).toBe(merge(whole));
  });
});

describe('readTar on GNU tar output', () => {
  it.each(['gnu', 'pax', 'ustar'])('reads --format=%s with long names and links', (format) => {
    if (format === 'ustar') {
      // ustar cannot hold a 100+ byte link target: expect tar to refuse, then use shorter ones.
      expect(() => systemTar(format)).toThrow();
      return;
    }
    const { tar, listing } = systemTar(format);
    const entries = readTar(tar);
    expect(entries.map((e) => e.header.name)).toEqual(listing);
    const file = entries.find((e) => e.header.name.endsWith('.txt'))!;
    expect(file.header.name.length).toBeGreaterThan(200);
    expect(file.data.toString()).toBe('long name content\n');
    const link = entries.find((e) => e.header.name === './link')!;
    expect(link.header.type).toBe('symlink');
    expect(link.header.linkname).toBe(`../../${'d'.repeat(60)}/${'e'.repeat(70)}/target`);
    expect(entries.find((e) => e.header.name === './short')!.header.mtime).toBe(1700000000);
    if (format === 'pax') expect(entries[0]!.header.pax.has('mtime')).toBe(true);
  });

  it('joins the ustar prefix field with the name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'larder-tar-'));
    const long = `${'p'.repeat(80)}/${'q'.repeat(60)}`;
    mkdirSync(join(dir, long), { recursive: true });
    writeFileSync(join(dir, long, 'file'), 'x');
    execFileSync('tar', ['--format=ustar', '-cf', join(dir, 'u.tar'), '-C', dir, long]);
    const tar = readFileSync(join(dir, 'u.tar'));
    expect(tar.toString('latin1', 345, 350)).toBe('ppppp');
    expect(readTar(tar).map((e) => e.header.name)).toEqual([`${long}/`, `${long}/file`]);
  });

  it('rejects v7 archives, which have no ustar magic', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'larder-tar-'));
    writeFileSync(join(dir, 'a'), 'a');
    execFileSync('tar', ['--format=v7', '-cf', join(dir, 'v7.tar'), '-C', dir, 'a']);
    const err = await larderError(() => readTar(readFileSync(join(dir, 'v7.tar'))), 'TAR_BAD_HEADER');
    expect(err.message).toMatch(/tar header at offset 0: no ustar magic/);
  });
});

describe('TarParser edge cases', () => {
  const file = tarEntry({ name: 'etc/motd', type: 'file', mode: 0o644, mtime: 1 }, Buffer.from('welcome\n'));

  it('accepts fragments without end blocks, ignores what follows the end blocks', () => {
    expect(events(file).map((e) => e.type)).toEqual(['entry', 'data', 'entry-end']);
    const withEnd = Buffer.concat([file, TAR_END_BLOCKS, Buffer.from('trailing garbage')]);
    expect(events(withEnd).map((e) => e.type)).toEqual(['entry', 'data', 'entry-end', 'eof']);
    expect(events(withEnd, 7).at(-1)).toEqual({ type: 'eof', offset: 1024 });
    expect(events(withEnd).at(-1)).toEqual({ type: 'eof', offset: 1024 });
  });

  it('tolerates a lone zero block at the end but not before a header', async () => {
    expect(events(Buffer.concat([file, Buffer.alloc(512)])).at(-1)).toEqual({ type: 'eof', offset: 1024 });
    const err = await larderError(
      () => readTar(Buffer.concat([file, Buffer.alloc(512), file])),
      'TAR_BAD_HEADER',
    );
    expect(err.message).toMatch(/offset 1536 follows a lone zero block at offset 1024/);
  });

  it('raises TAR_TRUNCATED inside a header, a body, padding or after a pre-header', async () => {
    const paxed = tarEntry(
      { name: 'a', type: 'file', mode: 0o644, mtime: 0, pax: [['k', 'v']] },
      Buffer.from('data'),
    );
    for (const cut of [100, 513, 520, 1030, 1536 + 3]) {
      const err = await larderError(() => readTar(paxed.subarray(0, cut)), 'TAR_TRUNCATED');
      expect(err.message).toMatch(/tar input ends at offset \d+/);
    }
    const afterPre = await larderError(() => readTar(paxed.subarray(0, 1024)), 'TAR_TRUNCATED');
    expect(afterPre.message).toMatch(/after the pre-header at offset 0/);
    const inBody = await larderError(() => readTar(paxed.subarray(0, 1538)), 'TAR_TRUNCATED');
    expect(inBody.message).toMatch(/2 bytes before the end of the data of "a" \(entry at offset 0\)/);
  });

  it('rejects a bad checksum, naming the offset', async () => {
    const twice = Buffer.concat([file, file]);
    twice[1024 + 10] = 0x41;
    const err = await larderError(() => readTar(twice), 'TAR_BAD_HEADER');
    expect(err.message).toMatch(/tar header at offset 1024: checksum mismatch/);
  });

  it('rejects unknown typeflags, base-256 numbers, bad octal and data on non-files', async () => {
    const sparse = fixChecksum(Buffer.from(file).fill('S', 156, 157));
    expect((await larderError(() => readTar(sparse), 'TAR_BAD_HEADER')).message).toMatch(/typeflag "S"/);
    const b256 = fixChecksum(Buffer.from(file).fill(0x80, 124, 125));
    expect((await larderError(() => readTar(b256), 'TAR_BAD_HEADER')).message).toMatch(/size uses base-256/);
    const octal = Buffer.from(file);
    octal.write('0000009', 100, 'latin1');
    expect((await larderError(() => readTar(fixChecksum(octal)), 'TAR_BAD_HEADER')).message).toMatch(
      /mode is not/,
    );
    const dir = fixChecksum(Buffer.from(file).fill('5', 156, 157));
    expect((await larderError(() => readTar(dir), 'TAR_BAD_HEADER')).message).toMatch(
      /directory "etc\/motd" has size 8/,
    );
  });

  it('reads old-style numbers padded with spaces', () => {
    const spaced = Buffer.from(file);
    spaced.write('   644 \0', 100, 'latin1');
    expect(readTar(fixChecksum(spaced))[0]!.header.mode).toBe(0o644);
  });

  it('applies maxEntrySize and maxPaxBytes', async () => {
    expect((await larderError(() => readTar(file, { maxEntrySize: 7 }), 'TAR_TOO_LARGE')).message).toMatch(
      /8 bytes/,
    );
    const pax = tarHeader({ name: 'a', type: 'file', mode: 0, mtime: 0, pax: [['big', 'x'.repeat(2000)]] });
    const err = await larderError(() => readTar(pax, { maxPaxBytes: 1024 }), 'TAR_TOO_LARGE');
    expect(err.message).toMatch(/oversized PAX header: 2010 bytes at offset 0/);
    const gnu = Buffer.from(
      tarEntry({ name: '././@LongLink', type: 'file', mode: 0, mtime: 0 }, Buffer.alloc(3000, 0x61)),
    );
    gnu.write('L', 156, 'latin1');
    const long = await larderError(() => readTar(fixChecksum(gnu), { maxPaxBytes: 2048 }), 'TAR_TOO_LARGE');
    expect(long.message).toMatch(/oversized GNU long-name header/);
  });

  it('applies GNU K long links and PAX size, fractional and negative mtime, empty values', () => {
    const longLink = Buffer.from(
      tarEntry({ name: '././@LongLink', type: 'file', mode: 0, mtime: 0 }, Buffer.from('far/away/target\0')),
    );
    longLink.write('K', 156, 'latin1');
    const link = tarEntry({ name: 'l', type: 'symlink', mode: 0o777, mtime: 0, linkname: 'short' });
    expect(readTar(Buffer.concat([fixChecksum(longLink), link]))[0]!.header.linkname).toBe('far/away/target');
    const pax = tarEntry(
      { name: 'f', type: 'file', mode: 0o644, mtime: 5, uid: 7, pax: [['SCHILY.xattr.user.x', 'y']] },
      Buffer.from('12345'),
    );
    const body = (records: string) => {
      const edited = Buffer.from(pax);
      const text = Buffer.from(records);
      edited.write(text.length.toString(8).padStart(11, '0'), 124, 'latin1');
      edited.fill(0, 512, 1024);
      text.copy(edited, 512);
      return readTar(fixChecksum(edited))[0]!.header;
    };
    const h = body(`${rec('mtime', '-12.5')}${rec('uid', '')}${rec('gname', 'wh')}`);
    expect([h.mtime, h.uid, h.gname, h.size, h.pax.get('uid')?.length]).toEqual([-13, 7, 'wh', 5, 0]);
    expect(body(rec('mtime', '100.999')).mtime).toBe(100);
    expect(body(rec('size', '5')).size).toBe(5);
  });

  it('rejects malformed PAX records as TAR_BAD_PAX', async () => {
    const good = tarHeader({ name: 'a', type: 'file', mode: 0, mtime: 0, pax: [['k', 'v']] });
    for (const [records, why] of [
      ['5 k=v\n', /does not end with a newline/],
      ['6 k=v\n6 k=v', /runs past the end/],
      ['x k=v\n', /expected a decimal length/],
      ['6 kv\n\n', /no "="/],
      ['5 =v\n', /empty key/],
      ['09 size=x\n', /expected a decimal length/],
      [rec('size', 'x'), /size is not a number/],
      [rec('uid', '1.5e3'), /uid is not a number/],
      [rec('uid', '99999999999999999'), /uid is not a number/],
    ] as const) {
      const edited = Buffer.from(good);
      edited.write(records.length.toString(8).padStart(11, '0'), 124, 'latin1');
      edited.fill(0, 512, 1024);
      edited.write(records, 512, 'latin1');
      const err = await larderError(
        () => readTar(Buffer.concat([fixChecksum(edited), Buffer.alloc(0)])),
        'TAR_BAD_PAX',
      );
      expect(err.message).toMatch(why);
      expect(err.message).toMatch(/PAX header at offset 0/);
    }
  });

  it('ignores global PAX headers and reports the offset of the first pre-header', () => {
    const global = Buffer.from(
      tarHeader({ name: 'g', type: 'file', mode: 0, mtime: 0, pax: [['comment', 'hi']] }),
    );
    global.write('g', 156, 'latin1');
    fixChecksum(global);
    const tar = writeTar(
      [
        {
          entry: { name: 'x', type: 'file', mode: 0o600, mtime: 0, pax: [['k', 'v']] },
          data: Buffer.from('!'),
        },
      ],
      { endBlocks: true },
    );
    const all = events(Buffer.concat([global.subarray(0, 1024), tar]));
    const entry = all.find((e) => e.type === 'entry');
    expect(entry).toMatchObject({ offset: 0, header: { name: 'x' } });
    expect(entry?.type === 'entry' && [...entry.header.pax.keys()]).toEqual(['k']);
  });
});
