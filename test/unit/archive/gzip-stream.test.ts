import { createReadStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gzipMember, readGzipMembers, splitGzipMembers } from '../../../src/archive/index.js';
import { chunked, FIXTURES, fixtureGzipFiles, larderError, prng, streamMembers } from './helpers.js';

function infoOf(bytes: Buffer) {
  return splitGzipMembers(bytes).map(({ raw: _raw, data: _data, ...info }) => info);
}

// Three members: small enough to cut at every byte, with a stored (level 0) body in between.
const SMALL = Buffer.concat([
  gzipMember(Buffer.from('first member\n')),
  gzipMember(Buffer.from('second '.repeat(30)), { level: 0 }),
  gzipMember(Buffer.from(Array.from({ length: 400 }, (_, i) => String(i * 7919)).join(','))),
]);

describe('readGzipMembers', () => {
  it.each(fixtureGzipFiles())('matches the buffer API on %s for random chunkings', async (file) => {
    const bytes = readFileSync(file);
    const expected = splitGzipMembers(bytes);
    const random = prng(bytes.length);
    const sizes = [
      () => bytes.length,
      () => 1 + Math.floor(random() * 700),
      () => 1 + Math.floor(random() * 40_000),
    ];
    for (const size of sizes) {
      const members = await streamMembers(chunked(bytes, size));
      expect(members.map((m) => m.info)).toEqual(infoOf(bytes));
      members.forEach((m, i) => {
        expect(m.raw.equals(expected[i]!.raw)).toBe(true);
        expect(m.data.equals(expected[i]!.data)).toBe(true);
      });
    }
  });

  it.each([
    join(FIXTURES, 'apk', 'hello-0.1.0-r0.apk'),
    join(FIXTURES, 'index', 'rsa256-signed', 'APKINDEX.tar.gz'),
  ])('gives identical offsets with 1-byte chunks on %s', async (file) => {
    const bytes = readFileSync(file);
    const members = await streamMembers(chunked(bytes, () => 1));
    expect(members.map((m) => m.info)).toEqual(infoOf(bytes));
    expect(Buffer.concat(members.map((m) => m.raw)).equals(bytes)).toBe(true);
  });

  it('attributes each byte of a 1-byte-chunked multi-member file to exactly one member', async () => {
    const members = await streamMembers(chunked(SMALL, () => 1));
    expect(members.map((m) => m.info)).toEqual(infoOf(SMALL));
  });

  it('reads a file stream, with the datahash member hashable from raw events', async () => {
    const file = join(FIXTURES, 'apk', 'hello-wolfi-2.12.1-r0.apk');
    const members = await streamMembers(createReadStream(file, { highWaterMark: 4096 }));
    expect(members.map((m) => [m.info.offset, m.info.length])).toEqual([
      [0, 654],
      [654, 359],
      [1013, 71778],
    ]);
  });

  it('raises GZIP_TRUNCATED at every cut inside a member, in both APIs', async () => {
    const boundaries = new Set(infoOf(SMALL).map((m) => m.offset + m.length));
    const random = prng(42);
    for (let cut = 0; cut < SMALL.length; cut++) {
      if (boundaries.has(cut)) continue;
      const part = SMALL.subarray(0, cut);
      const err = await larderError(() => splitGzipMembers(part), 'GZIP_TRUNCATED');
      expect(err.message).toMatch(
        cut === 0 ? /empty/ : /input ends inside the (header|deflate body|trailer)/,
      );
      const size = cut % 2 === 0 ? () => 1 + Math.floor(random() * 256) : () => cut;
      await larderError(() => streamMembers(chunked(part, size)), 'GZIP_TRUNCATED');
    }
  });

  it('accepts a cut exactly at a member boundary: it is a shorter valid file', async () => {
    const [first] = infoOf(SMALL);
    const part = SMALL.subarray(0, first!.length);
    expect(await streamMembers(chunked(part, () => 5))).toHaveLength(1);
  });

  it('reports bad CRC, bad header and corrupt data like the buffer API', async () => {
    const badCrc = Buffer.from(SMALL);
    const end = infoOf(SMALL)[1]!;
    badCrc[end.offset + end.length - 6] = badCrc[end.offset + end.length - 6]! ^ 0x80;
    const crc = await larderError(() => streamMembers(chunked(badCrc, () => 13)), 'GZIP_BAD_CRC');
    expect(crc.message).toMatch(/gzip member 1, trailer at byte \d+: CRC32 expected/);
    await larderError(() => streamMembers(chunked(Buffer.from('garbage!'), () => 1)), 'GZIP_BAD_HEADER');
    const corrupt = Buffer.concat([SMALL.subarray(0, 10), Buffer.alloc(50, 0xff)]);
    const bad = await larderError(() => streamMembers(chunked(corrupt, () => 7)), 'GZIP_CORRUPT');
    expect(bad.message).toMatch(/gzip member 0: deflate body is corrupt/);
  });

  it('stops a gzip bomb at maxInflatedBytes without inflating it all', async () => {
    const bomb = gzipMember(Buffer.alloc(16 * 1024 * 1024));
    let seen = 0;
    const err = await larderError(async () => {
      for await (const event of readGzipMembers(
        chunked(bomb, () => 4096),
        { maxInflatedBytes: 1024 * 1024 },
      )) {
        if (event.type === 'data') seen += event.bytes.length;
      }
    }, 'TAR_TOO_LARGE');
    expect(err.message).toMatch(/inflates past the limit/);
    expect(seen).toBeLessThanOrEqual(1024 * 1024);
  });

  it('can be abandoned half-way without hanging', async () => {
    const bytes = readFileSync(join(FIXTURES, 'apk', 'hello-wolfi-2.12.1-r0.apk'));
    let events = 0;
    for await (const event of readGzipMembers(chunked(bytes, () => 1000))) {
      events++;
      if (event.type === 'data' && event.member === 2) break;
    }
    expect(events).toBeGreaterThan(3);
  });
});
