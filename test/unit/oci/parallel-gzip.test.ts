import { execFileSync } from 'node:child_process';
import { crc32, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { splitGzipMembers } from '../../../src/archive/index.js';
import { parallelGzip } from '../../../src/oci/index.js';
import { collect, pieces, rejectsWith, sampleBytes } from './helpers.js';

const BLOCK = 64 * 1024;

describe('parallelGzip', () => {
  const sizes: Array<[string, number]> = [
    ['empty', 0],
    ['1 byte', 1],
    ['under a block', 1000],
    ['exactly a block', BLOCK],
    ['a block and one byte', BLOCK + 1],
    ['10 blocks', 10 * BLOCK],
    ['10.5 blocks', 10 * BLOCK + BLOCK / 2],
  ];
  it.each(sizes)('round-trips %s through zlib and the gunzip binary, as one member', async (_, size) => {
    const data = sampleBytes(size, size);
    const gz = await collect(parallelGzip([data], { blockSize: BLOCK }));
    expect(gunzipSync(gz).equals(data)).toBe(true);
    expect(execFileSync('gunzip', ['-c'], { input: gz, maxBuffer: 64 << 20 }).equals(data)).toBe(true);
    const members = splitGzipMembers(gz);
    expect(members).toHaveLength(1);
    expect(members[0]!.crc32).toBe(crc32(data));
    expect(members[0]!.isize).toBe(size);
    expect(gz.subarray(0, 10).toString('hex')).toBe('1f8b08000000000000ff');
  });

  it('gives the same bytes whatever the input chunking and concurrency', async () => {
    const data = sampleBytes(5 * BLOCK + 123, 7);
    const reference = await collect(parallelGzip([data], { blockSize: BLOCK }));
    for (const [chunk, concurrency] of [
      [13, 1],
      [777, 2],
      [BLOCK, 8],
      [3 * BLOCK + 5, 3],
    ] as const) {
      const out = await collect(parallelGzip(pieces(data, chunk), { blockSize: BLOCK, concurrency }));
      expect(out.equals(reference)).toBe(true);
    }
  });

  it('depends on level and block size, each deterministic', async () => {
    const data = sampleBytes(4 * BLOCK, 3);
    const a = await collect(parallelGzip([data], { blockSize: BLOCK, level: 1 }));
    const b = await collect(parallelGzip([data], { blockSize: BLOCK, level: 9 }));
    const c = await collect(parallelGzip([data], { blockSize: BLOCK / 2, level: 9 }));
    expect(a.equals(b)).toBe(false);
    expect(b.equals(c)).toBe(false);
    expect((await collect(parallelGzip([data], { blockSize: BLOCK / 2, level: 9 }))).equals(c)).toBe(true);
    for (const gz of [a, b, c]) expect(gunzipSync(gz).equals(data)).toBe(true);
  });

  it('compresses about as well as one zlib stream (blocks share a 32 KiB dictionary)', async () => {
    const data = sampleBytes(8 * BLOCK, 11);
    const gz = await collect(parallelGzip([data], { blockSize: BLOCK }));
    const { gzipSync } = await import('node:zlib');
    expect(gz.length / gzipSync(data).length).toBeLessThan(1.02);
  });

  it('level 0 stores', async () => {
    const data = sampleBytes(BLOCK + 10, 5);
    const gz = await collect(parallelGzip([data], { blockSize: BLOCK, level: 0 }));
    expect(gz.length).toBeGreaterThan(data.length);
    expect(gunzipSync(gz).equals(data)).toBe(true);
  });

  it('rejects bad options and passes source errors through', async () => {
    await rejectsWith(() => collect(parallelGzip([], { level: 10 })), 'USAGE');
    await rejectsWith(() => collect(parallelGzip([], { blockSize: 0 })), 'USAGE');
    async function* broken(): AsyncGenerator<Uint8Array> {
      yield sampleBytes(3 * BLOCK);
      throw new Error('source failed');
    }
    await expect(collect(parallelGzip(broken(), { blockSize: BLOCK }))).rejects.toThrow('source failed');
  });
});
