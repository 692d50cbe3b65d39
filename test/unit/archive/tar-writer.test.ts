import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  readTar,
  TAR_END_BLOCKS,
  TarParser,
  type TarWriteEntry,
  tarEntry,
  tarHeader,
  tarPadding,
  writeTar,
} from '../../../src/archive/index.js';
import { larderError } from './helpers.js';

const CAPABILITY = Buffer.from('0100000200200000000000000000000000000000', 'hex');

const ENTRIES: ReadonlyArray<{ entry: TarWriteEntry; data?: Buffer }> = [
  { entry: { name: 'usr', type: 'directory', mode: 0o755, mtime: 1700000000, uname: 'root', gname: 'root' } },
  {
    entry: {
      name: 'usr/bin/ping',
      type: 'file',
      mode: 0o4755,
      mtime: 1700000000,
      uid: 0,
      gid: 0,
      uname: 'root',
      gname: 'root',
      pax: [
        ['SCHILY.xattr.security.capability', CAPABILITY],
        ['APK-TOOLS.checksum.SHA1', 'da39a3ee5e6b4b0d3255bfef95601890afd80709'],
      ],
    },
    data: Buffer.from('#!/bin/sh\necho ping\n'),
  },
  { entry: { name: 'usr/bin/sh', type: 'symlink', mode: 0o777, mtime: 1700000000, linkname: 'busybox' } },
  {
    entry: {
      name: 'usr/bin/ping6',
      type: 'hardlink',
      mode: 0o4755,
      mtime: 1700000000,
      linkname: 'usr/bin/ping',
    },
  },
  { entry: { name: 'dev/null', type: 'chardev', mode: 0o666, mtime: 0, devmajor: 1, devminor: 3 } },
  {
    entry: {
      name: 'dev/sda',
      type: 'blockdev',
      mode: 0o660,
      mtime: 0,
      gid: 6,
      gname: 'disk',
      devmajor: 8,
      devminor: 0,
    },
  },
  {
    entry: { name: 'run/fifo', type: 'fifo', mode: 0o600, mtime: 0, uid: 1000, gid: 1000, uname: 'nonroot' },
  },
  { entry: { name: 'empty', type: 'file', mode: 0o644, mtime: 0 }, data: Buffer.alloc(0) },
  { entry: { name: 'big-block', type: 'file', mode: 0o644, mtime: 0 }, data: Buffer.alloc(1024, 0x5a) },
];

function systemList(tar: Buffer, ...flags: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'larder-tarw-'));
  writeFileSync(join(dir, 'a.tar'), tar);
  return execFileSync('tar', [...flags, '-tvf', join(dir, 'a.tar')], {
    encoding: 'utf8',
    env: { TZ: 'UTC' },
  });
}

describe('tar writer', () => {
  it('round-trips every entry type, with binary PAX values', () => {
    const tar = writeTar(ENTRIES, { endBlocks: true });
    const read = readTar(tar);
    expect(read).toHaveLength(ENTRIES.length);
    read.forEach(({ header, data }, i) => {
      const { entry, data: written } = ENTRIES[i]!;
      expect(header).toMatchObject({
        name: entry.name,
        type: entry.type,
        mode: entry.mode,
        mtime: entry.mtime,
        uid: entry.uid ?? 0,
        gid: entry.gid ?? 0,
        uname: entry.uname ?? '',
        gname: entry.gname ?? '',
        linkname: entry.linkname ?? '',
        devmajor: entry.devmajor ?? 0,
        devminor: entry.devminor ?? 0,
        size: written?.length ?? 0,
      });
      expect(data.equals(written ?? Buffer.alloc(0))).toBe(true);
    });
    expect(read[1]!.header.pax.get('SCHILY.xattr.security.capability')?.equals(CAPABILITY)).toBe(true);
    expect(read[1]!.header.pax.get('APK-TOOLS.checksum.SHA1')?.toString()).toHaveLength(40);
  });

  it('writes the same bytes twice, in whole records, with Go-style fields', () => {
    const once = writeTar(ENTRIES, { endBlocks: true });
    expect(writeTar(ENTRIES, { endBlocks: true }).equals(once)).toBe(true);
    expect(once.length % 512).toBe(0);
    expect(once.subarray(-1024).equals(TAR_END_BLOCKS)).toBe(true);
    const dir = once.subarray(0, 512);
    const field = (start: number, length: number) => dir.toString('latin1', start, start + length);
    expect(field(0, 4)).toBe('usr\0');
    expect(field(100, 8)).toBe('0000755\0');
    expect(field(108, 16)).toBe('0000000\u00000000000\0');
    expect(field(124, 12)).toBe('00000000000\0');
    expect(field(136, 12)).toBe(`${(1700000000).toString(8)}\0`);
    expect(field(148, 8)).toMatch(/^[0-7]{6}\0 $/);
    expect(field(156, 1)).toBe('5');
    expect(field(257, 8)).toBe('ustar\u000000');
    expect(field(265, 5)).toBe('root\0');
    expect(field(329, 16)).toBe('0000000\u00000000000\0');
    // The PAX header entry of usr/bin/ping: Go's name, sorted records.
    const pax = once.subarray(512, 1024);
    expect(pax.toString('latin1', 0, 24)).toBe('usr/bin/PaxHeaders.0/pin');
    expect(pax.toString('latin1', 156, 157)).toBe('x');
    const records = once.toString('latin1', 1024, 1024 + 200);
    expect(records.indexOf('APK-TOOLS')).toBeLessThan(records.indexOf('SCHILY'));
  });

  it('writes fragments without end blocks that read back without an eof event', () => {
    const fragment = writeTar(ENTRIES.slice(0, 2), { endBlocks: false });
    expect(fragment.length % 512).toBe(0);
    const parser = new TarParser();
    const types = [...parser.write(fragment), ...parser.end()].map((e) => e.type);
    expect(types).not.toContain('eof');
    expect(types.filter((t) => t === 'entry-end')).toHaveLength(2);
  });

  it('streams: header + data + padding equals tarEntry', () => {
    const data = Buffer.from('streamed body');
    const entry: TarWriteEntry = { name: 'f', type: 'file', mode: 0o644, mtime: 3, size: data.length };
    expect(
      Buffer.concat([tarHeader(entry), data, tarPadding(data.length)]).equals(tarEntry(entry, data)),
    ).toBe(true);
    expect(tarPadding(512).length).toBe(0);
    expect(tarPadding(513).length).toBe(511);
  });

  it('is readable by GNU tar, including xattrs', () => {
    const tar = writeTar(ENTRIES, { endBlocks: true });
    const lines = systemList(tar, '--numeric-owner').trim().split('\n');
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual([
      'drwxr-xr-x',
      '-rwsr-xr-x',
      'lrwxrwxrwx',
      'hrwsr-xr-x',
      'crw-rw-rw-',
      'brw-rw----',
      'prw-------',
      '-rw-r--r--',
      '-rw-r--r--',
    ]);
    expect(lines[2]).toMatch(/usr\/bin\/sh -> busybox$/);
    expect(lines[3]).toMatch(/usr\/bin\/ping6 link to usr\/bin\/ping$/);
    expect(lines[4]).toMatch(/ 1,3 /);
    const xattrs = systemList(tar, '-v', '--xattrs', '--xattrs-include=*');
    expect(xattrs).toContain('x: 20 security.capability');
  });

  it('uses PAX for long and non-ASCII names, long links, big numbers and negative mtime', () => {
    const longName = `${'a'.repeat(90)}/${'b'.repeat(90)}`;
    const cases: ReadonlyArray<[TarWriteEntry, string]> = [
      [{ name: longName, type: 'file', mode: 0o644, mtime: 0 }, 'path'],
      [{ name: 'usr/share/café', type: 'file', mode: 0o644, mtime: 0 }, 'path'],
      [{ name: 'l', type: 'symlink', mode: 0o777, mtime: 0, linkname: `/${'t'.repeat(120)}` }, 'linkpath'],
      [{ name: 'u', type: 'file', mode: 0o644, mtime: 0, uid: 2 ** 21, gid: 2 ** 22 }, 'gid,uid'],
      [{ name: 'n', type: 'file', mode: 0o644, mtime: -1 }, 'mtime'],
      [{ name: 'm', type: 'file', mode: 0o644, mtime: 8 ** 11 }, 'mtime'],
      [
        { name: 'g', type: 'file', mode: 0o644, mtime: 0, uname: 'u'.repeat(33), gname: 'grüppe' },
        'gname,uname',
      ],
    ];
    for (const [entry, keys] of cases) {
      const tar = writeTar([{ entry }], { endBlocks: true });
      const [read] = readTar(tar);
      expect([...read!.header.pax.keys()].join(','), entry.name).toBe(keys);
      expect(read!.header).toMatchObject({
        name: entry.name,
        linkname: entry.linkname ?? '',
        mtime: entry.mtime,
        uid: entry.uid ?? 0,
        uname: entry.uname ?? '',
      });
      // GNU tar escapes non-ASCII bytes in listings: compare the ASCII part only.
      expect(systemList(tar)).toContain(entry.name.slice(-10).replace(/[^ -~]/g, ''));
    }
    const exactly100 = 'c'.repeat(100);
    expect(tarHeader({ name: exactly100, type: 'file', mode: 0, mtime: 0 }).length).toBe(512);
    expect(tarHeader({ name: longName, type: 'file', mode: 0, mtime: 0 }).toString('latin1', 0, 16)).toBe(
      'a'.repeat(90).slice(0, 16),
    );
  });

  it('writes a size over 8 GiB as a PAX record (header only)', () => {
    const header = tarHeader({ name: 'huge', type: 'file', mode: 0o644, mtime: 0, size: 2 ** 33 + 1 });
    const [entry] = new TarParser().write(header);
    expect(entry).toMatchObject({ type: 'entry', header: { size: 2 ** 33 + 1 } });
  });

  it('gets PAX record lengths right across digit boundaries', () => {
    for (let n = 80; n < 1010; n++) {
      const value = 'v'.repeat(n);
      const [read] = readTar(tarEntry({ name: 'f', type: 'file', mode: 0, mtime: 0, pax: [['k', value]] }));
      expect(read!.header.pax.get('k')?.toString()).toBe(value);
    }
  });

  it('refuses entries it cannot represent', async () => {
    const base: TarWriteEntry = { name: 'x', type: 'file', mode: 0o644, mtime: 0 };
    const bad: ReadonlyArray<[() => unknown, RegExp]> = [
      [() => tarEntry({ ...base, size: 3 }, Buffer.from('ab')), /size 3 but 2 bytes/],
      [() => tarHeader({ ...base, type: 'directory', size: 1 }), /a directory has no data/],
      [() => tarHeader({ ...base, name: '' }), /empty name/],
      [() => tarHeader({ ...base, name: 'a\0b' }), /NUL/],
      [() => tarHeader({ ...base, mtime: 1.5 }), /mtime 1.5 is not an integer/],
      [() => tarHeader({ ...base, type: 'chardev', devmajor: 8 ** 7 }), /devmajor \d+ does not fit/],
      [() => tarHeader({ ...base, uid: -1 }), /uid -1 does not fit/],
      [() => tarHeader({ ...base, pax: [['path', 'y']] }), /PAX key path given twice/],
      [() => tarHeader({ ...base, pax: [['a=b', 'y']] }), /bad PAX key/],
      [
        () =>
          tarHeader({
            ...base,
            pax: [
              ['k', 'y'],
              ['k', 'z'],
            ],
          }),
        /given twice/,
      ],
    ];
    for (const [fn, message] of bad)
      expect((await larderError(fn, 'TAR_BAD_HEADER')).message).toMatch(message);
  });

  it('reads its own output byte-identically after a read/write cycle', () => {
    const tar = writeTar(ENTRIES, { endBlocks: true });
    const rewritten = writeTar(
      readTar(tar).map(({ header, data }) => {
        const { size: _size, pax, ...rest } = header;
        return { entry: { ...rest, pax: [...pax].reverse() }, data };
      }),
      { endBlocks: true },
    );
    expect(rewritten.equals(tar)).toBe(true);
  });
});
