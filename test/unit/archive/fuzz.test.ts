import { describe, expect, it } from 'vitest';
import { gzipMember, readTar, splitGzipMembers, TarParser, writeTar } from '../../../src/archive/index.js';
import { LarderError } from '../../../src/core/index.js';
import { chunked, prng, streamMembers } from './helpers.js';

const RUNS = 2000;

const TAR = writeTar(
  [
    { entry: { name: 'usr', type: 'directory', mode: 0o755, mtime: 1 } },
    {
      entry: {
        name: 'usr/bin/x',
        type: 'file',
        mode: 0o755,
        mtime: 1,
        pax: [['APK-TOOLS.checksum.SHA1', 'a'.repeat(40)]],
      },
      data: Buffer.from('payload '.repeat(100)),
    },
    {
      entry: { name: `usr/${'long/'.repeat(30)}y`, type: 'symlink', mode: 0o777, mtime: 1, linkname: '../x' },
    },
  ],
  { endBlocks: true },
);

const GZIP = Buffer.concat([
  gzipMember(TAR.subarray(0, 1024)),
  gzipMember(Buffer.from('second member '.repeat(20)), { level: 0 }),
  gzipMember(TAR),
]);

// Byte flips, truncation, insertion, deletion and duplication: the damage real files suffer.
function mutate(input: Buffer, random: () => number): Buffer {
  const at = Math.floor(random() * input.length);
  const span = 1 + Math.floor(random() * 64);
  switch (Math.floor(random() * 5)) {
    case 0: {
      const out = Buffer.from(input);
      for (let i = 0; i < 1 + random() * 4; i++)
        out[Math.floor(random() * out.length)] = Math.floor(random() * 256);
      return out;
    }
    case 1:
      return input.subarray(0, at);
    case 2:
      return Buffer.concat([
        input.subarray(0, at),
        Buffer.from(Array.from({ length: span }, () => random() * 256)),
        input.subarray(at),
      ]);
    case 3:
      return Buffer.concat([input.subarray(0, at), input.subarray(at + span)]);
    default:
      return Buffer.concat([input.subarray(0, at + span), input.subarray(at)]);
  }
}

async function outcome(fn: () => unknown): Promise<string> {
  try {
    await fn();
    return 'ok';
  } catch (err) {
    if (!(err instanceof LarderError)) throw new Error(`not a LarderError: ${String(err)}`, { cause: err });
    return err.code;
  }
}

describe('fuzz', () => {
  it(`${RUNS} mutated tars parse or throw LarderError, whatever the chunking`, async () => {
    const random = prng(1);
    const codes = new Map<string, number>();
    for (let run = 0; run < RUNS; run++) {
      const input = mutate(TAR, random);
      const whole = await outcome(() => readTar(input, { maxPaxBytes: 4096 }));
      const chunk = 1 + Math.floor(random() * 600);
      const pieces = await outcome(() => {
        const parser = new TarParser({ maxPaxBytes: 4096 });
        for (let at = 0; at < input.length; at += chunk) parser.write(input.subarray(at, at + chunk));
        parser.end();
      });
      expect(pieces, `run ${run}`).toBe(whole);
      codes.set(whole, (codes.get(whole) ?? 0) + 1);
    }
    expect(codes.get('ok')).toBeGreaterThan(0);
    expect(codes.size).toBeGreaterThan(3);
  });

  it(`${RUNS} mutated gzip files give the same outcome in both APIs`, async () => {
    const random = prng(2);
    const codes = new Map<string, number>();
    for (let run = 0; run < RUNS; run++) {
      const input = mutate(GZIP, random);
      const buffered = await outcome(() => splitGzipMembers(input));
      const size = 1 + Math.floor(random() * 900);
      const streamed = await outcome(() => streamMembers(chunked(input, () => size)));
      expect(streamed, `run ${run}`).toBe(buffered);
      codes.set(buffered, (codes.get(buffered) ?? 0) + 1);
    }
    expect(codes.get('ok')).toBeGreaterThan(0);
    expect([...codes.keys()].sort()).toEqual(
      ['GZIP_BAD_CRC', 'GZIP_BAD_HEADER', 'GZIP_CORRUPT', 'GZIP_TRUNCATED', 'ok'].filter((c) => codes.has(c)),
    );
  });
});
