import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gzipMember, gzipMemberStream, splitGzipMembers } from '../../../src/archive/index.js';
import { chunked, FIXTURES, fixtureGzipFiles, larderError, prng, streamMembers } from './helpers.js';

const HELLO_WOLFI = join(FIXTURES, 'apk', 'hello-wolfi-2.12.1-r0.apk');

// A member with every optional header field, built by hand: FEXTRA, FNAME, FCOMMENT, FHCRC.
function oddMember(data: Buffer): Buffer {
  const fixed = Buffer.from([0x1f, 0x8b, 0x08, 0x1e, 0x78, 0x56, 0x34, 0x12, 0x02, 0x03]);
  const extra = Buffer.from([0x06, 0x00, 0x41, 0x50, 0x02, 0x00, 0xaa, 0xbb]);
  const name = Buffer.from('some-file.tar\0');
  const comment = Buffer.from('a comment\0');
  const head = Buffer.concat([fixed, extra, name, comment]);
  const hcrc = Buffer.alloc(2);
  hcrc.writeUInt16LE(crc32(head) & 0xffff);
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc32(data), 0);
  trailer.writeUInt32LE(data.length, 4);
  return Buffer.concat([head, hcrc, deflateRawSync(data), trailer]);
}

describe('splitGzipMembers', () => {
  it('splits hello-wolfi at the offsets formats.md gives', () => {
    const members = splitGzipMembers(readFileSync(HELLO_WOLFI));
    expect(
      members.map(({ index, offset, length, inflatedLength }) => [index, offset, length, inflatedLength]),
    ).toEqual([
      [0, 0, 654, 1024],
      [1, 654, 359, 1024],
      [2, 1013, 71778, 371200],
    ]);
    const datahash = createHash('sha256').update(members[2]!.raw).digest('hex');
    expect(datahash.startsWith('3a6c21f2')).toBe(true);
    expect(datahash.endsWith('d887')).toBe(true);
    for (const m of members) {
      expect(m.headerLength).toBe(10);
      expect(m.isize).toBe(m.data.length);
      expect(m.crc32).toBe(crc32(m.data));
    }
  });

  it.each(fixtureGzipFiles())('splits %s into members that concatenate back to the file', (file) => {
    const bytes = readFileSync(file);
    const members = splitGzipMembers(bytes);
    expect(members.length).toBeGreaterThanOrEqual(2);
    expect(Buffer.concat(members.map((m) => m.raw)).equals(bytes)).toBe(true);
    let offset = 0;
    for (const m of members) {
      expect(m.offset).toBe(offset);
      expect(m.raw.length).toBe(m.length);
      offset += m.length;
    }
  });

  it('reads gzip(1) output with and without a file name, concatenated', () => {
    const dir = mkdtempSync(join(tmpdir(), 'larder-gzip-'));
    const file = join(dir, 'payload.txt');
    const text = Buffer.from('hello gzip\n'.repeat(500));
    writeFileSync(file, text);
    const named = execFileSync('gzip', ['-c', file]);
    const bare = execFileSync('gzip', ['-n', '-9', '-c', file]);
    expect(named[3]! & 0x08).toBe(0x08);
    const members = splitGzipMembers(Buffer.concat([named, bare]));
    expect(members.map((m) => [m.offset, m.length, m.headerLength])).toEqual([
      [0, named.length, 10 + 'payload.txt\0'.length],
      [named.length, bare.length, 10],
    ]);
    for (const m of members) expect(m.data.equals(text)).toBe(true);
  });

  it('reads a header with FEXTRA, FNAME, FCOMMENT and FHCRC, in both APIs and any chunking', async () => {
    const data = Buffer.from('odd header payload '.repeat(40));
    const file = Buffer.concat([oddMember(data), gzipMember(data), oddMember(Buffer.alloc(0))]);
    const members = splitGzipMembers(file);
    expect(members.map((m) => m.headerLength)).toEqual([10 + 8 + 14 + 10 + 2, 10, 44]);
    expect(members[0]!.data.equals(data)).toBe(true);
    expect(members[2]!.inflatedLength).toBe(0);
    const streamed = await streamMembers(chunked(file, () => 1));
    expect(streamed.map((m) => m.info)).toEqual(members.map(({ raw: _r, data: _d, ...info }) => info));
  });

  it('rejects a wrong header CRC16', async () => {
    const member = oddMember(Buffer.from('x'));
    member[42] = member[42]! ^ 0xff;
    const err = await larderError(() => splitGzipMembers(member), 'GZIP_BAD_CRC');
    expect(err.message).toMatch(/header CRC16/);
  });

  it('reports a flipped CRC byte and a wrong ISIZE as GZIP_BAD_CRC with expected and actual', async () => {
    const good = gzipMember(Buffer.from('some data to check'));
    const badCrc = Buffer.from(good);
    badCrc[badCrc.length - 8] = badCrc[badCrc.length - 8]! ^ 0x01;
    const crcErr = await larderError(() => splitGzipMembers(Buffer.concat([good, badCrc])), 'GZIP_BAD_CRC');
    expect(crcErr.message).toMatch(
      /gzip member 1, trailer at byte \d+: CRC32 expected 0x[0-9a-f]{8} .*actual 0x/,
    );
    const badSize = Buffer.from(good);
    badSize[badSize.length - 4] = badSize[badSize.length - 4]! + 1;
    const sizeErr = await larderError(() => splitGzipMembers(badSize), 'GZIP_BAD_CRC');
    expect(sizeErr.message).toMatch(/ISIZE expected 19 .*actual 18/);
  });

  it('rejects garbage, a non-deflate method and reserved flags as GZIP_BAD_HEADER', async () => {
    const garbage = await larderError(
      () => splitGzipMembers(Buffer.from('PK\x03\x04 not gzip')),
      'GZIP_BAD_HEADER',
    );
    expect(garbage.message).toMatch(/gzip member 0 at byte 0: not a gzip member/);
    const good = gzipMember(Buffer.from('a'));
    const trailing = await larderError(
      () => splitGzipMembers(Buffer.concat([good, Buffer.from('junk')])),
      'GZIP_BAD_HEADER',
    );
    expect(trailing.message).toContain(`gzip member 1 at byte ${good.length}`);
    const method = Buffer.from(good);
    method[2] = 7;
    expect((await larderError(() => splitGzipMembers(method), 'GZIP_BAD_HEADER')).message).toMatch(/method/);
    const flags = Buffer.from(good);
    flags[3] = 0x20;
    expect((await larderError(() => splitGzipMembers(flags), 'GZIP_BAD_HEADER')).message).toMatch(/reserved/);
  });

  it('reports corrupt deflate data as GZIP_CORRUPT and empty input as GZIP_TRUNCATED', async () => {
    const corrupt = Buffer.concat([
      gzipMember(Buffer.from('a')).subarray(0, 10),
      Buffer.from([0xff, 0xff, 0xff]),
    ]);
    const err = await larderError(() => splitGzipMembers(corrupt), 'GZIP_CORRUPT');
    expect(err.message).toMatch(/gzip member 0: deflate body at byte 10 is corrupt/);
    await larderError(() => splitGzipMembers(Buffer.alloc(0)), 'GZIP_TRUNCATED');
  });

  it('stops a gzip bomb at maxInflatedBytes, counted over all members', async () => {
    const bomb = gzipMember(Buffer.alloc(10 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(20_000);
    const err = await larderError(
      () => splitGzipMembers(bomb, { maxInflatedBytes: 1024 * 1024 }),
      'TAR_TOO_LARGE',
    );
    expect(err.message).toMatch(/gzip member 0 .*inflates past the limit/);
    const two = Buffer.concat([gzipMember(Buffer.alloc(600)), gzipMember(Buffer.alloc(600))]);
    expect(splitGzipMembers(two, { maxInflatedBytes: 1200 })).toHaveLength(2);
    await larderError(() => splitGzipMembers(two, { maxInflatedBytes: 1199 }), 'TAR_TOO_LARGE');
  });
});

describe('gzipMember', () => {
  const payload = Buffer.from(Array.from({ length: 5000 }, (_, i) => `line ${i % 97}\n`).join(''));

  it("writes Go's header, is deterministic and gunzip reads it", () => {
    const member = gzipMember(payload);
    expect(member.subarray(0, 10).toString('hex')).toBe('1f8b08000000000000ff');
    expect(gzipMember(payload).equals(member)).toBe(true);
    expect(execFileSync('gunzip', ['-c'], { input: member }).equals(payload)).toBe(true);
    const [only] = splitGzipMembers(member);
    expect(only!.data.equals(payload)).toBe(true);
    expect(only!.length).toBe(member.length);
  });

  it('honours the level and round-trips empty input', () => {
    expect(gzipMember(payload, { level: 0 }).length).toBeGreaterThan(payload.length);
    expect(gzipMember(payload, { level: 9 }).length).toBeLessThan(gzipMember(payload, { level: 1 }).length);
    const empty = gzipMember(Buffer.alloc(0));
    expect(execFileSync('gunzip', ['-c'], { input: empty }).length).toBe(0);
  });

  it('streams the same bytes as the buffer writer, whatever the input chunking', async () => {
    const random = prng(7);
    for (const size of [() => 1 + Math.floor(random() * 3000), () => payload.length]) {
      const parts: Buffer[] = [];
      for await (const part of gzipMemberStream(chunked(payload, size))) parts.push(part);
      expect(Buffer.concat(parts).equals(gzipMember(payload))).toBe(true);
    }
  });
});
