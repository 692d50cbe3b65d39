// Layer compression: larder's pigz-style parallelGzip against one zlib.createGzip stream, on
// ~100 MB of semi-compressible data (text-like runs mixed with random bytes, roughly what
// shared libraries compress like). Prints times, the speedup and both compressed sizes.
//   node --import tsx bench/oci-gzip.ts [MiB] [level]
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip, gunzipSync } from 'node:zlib';
import { parallelGzip, writeLayerBlob } from '../src/oci/index.js';
import { prng } from '../test/kit/prng.js';

const MIB = 1024 * 1024;
const size = Number(process.argv[2] ?? 100) * MIB;
const level = Number(process.argv[3] ?? 6);
const CHUNK = 64 * 1024;

function sample(bytes: number): Buffer {
  const random = prng(42);
  const words = Array.from({ length: 512 }, (_, i) => `sym_${i.toString(36)}_${Math.floor(random() * 1e6)}`);
  const out = Buffer.allocUnsafe(bytes);
  let at = 0;
  while (at < bytes) {
    if (random() < 0.04) {
      const n = Math.min(bytes - at, 8 + Math.floor(random() * 56));
      for (let i = 0; i < n; i++) out[at + i] = Math.floor(random() * 256);
      at += n;
    } else {
      at += out.write(`${words[Math.floor(random() * words.length)]}\0`, at, 'latin1');
    }
  }
  return out;
}

function* chunks(data: Buffer): Generator<Buffer> {
  for (let at = 0; at < data.length; at += CHUNK) yield data.subarray(at, at + CHUNK);
}

async function viaZlib(data: Buffer): Promise<Buffer> {
  const parts: Buffer[] = [];
  const gzip = createGzip({ level });
  gzip.on('data', (part: Buffer) => parts.push(part));
  await pipeline(Readable.from(chunks(data)), gzip);
  return Buffer.concat(parts);
}

async function viaParallel(data: Buffer): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of parallelGzip(chunks(data), { level })) parts.push(part);
  return Buffer.concat(parts);
}

// Wall time, and CPU time of all threads (the zlib work runs on libuv's pool): their ratio is
// how many cores were really busy, which tells a busy machine from a slow implementation.
async function time(fn: () => Promise<Buffer>): Promise<{ ms: number; cores: number; out: Buffer }> {
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  const out = await fn();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(c0);
  return { ms, cores: (cpu.user + cpu.system) / 1000 / ms, out };
}

const data = sample(size);
const runs = 3;
const zlibTimes: number[] = [];
const parallelTimes: number[] = [];
const cores: number[] = [];
let zlibOut: Buffer = Buffer.alloc(0);
let parallelOut: Buffer = Buffer.alloc(0);
for (let i = 0; i < runs; i++) {
  const z = await time(() => viaZlib(data));
  const p = await time(() => viaParallel(data));
  zlibTimes.push(z.ms);
  parallelTimes.push(p.ms);
  cores.push(p.cores);
  zlibOut = z.out;
  parallelOut = p.out;
}
if (!gunzipSync(parallelOut).equals(data)) throw new Error('parallelGzip output does not round-trip');
const best = (xs: number[]) => Math.min(...xs);
console.log(
  `oci-gzip: ${(size / MIB).toFixed(0)} MiB, level ${level}, ${availableParallelism()} CPUs; ` +
    `parallelGzip kept ${Math.max(...cores).toFixed(2)} cores busy`,
);
console.log(
  `oci-gzip: zlib.createGzip ${best(zlibTimes).toFixed(0)} ms (${zlibOut.length} bytes); ` +
    `parallelGzip ${best(parallelTimes).toFixed(0)} ms (${parallelOut.length} bytes); ` +
    `speedup ${(best(zlibTimes) / best(parallelTimes)).toFixed(2)}x, size ratio ${(parallelOut.length / zlibOut.length).toFixed(4)}`,
);

// The whole layer step: parallel gzip plus both sha256 hashes plus writing the blob file.
const staging = await mkdtemp(join(tmpdir(), 'oci-gzip-'));
const t0 = process.hrtime.bigint();
const blob = await writeLayerBlob(chunks(data), { blobsDir: staging, level });
const layerMs = Number(process.hrtime.bigint() - t0) / 1e6;
await rm(staging, { recursive: true, force: true });
console.log(
  `oci-gzip: writeLayerBlob (gzip + diff_id + digest + fsynced file) ${layerMs.toFixed(0)} ms, ` +
    `${(best(zlibTimes) / layerMs).toFixed(2)}x faster than zlib.createGzip alone (${blob.size} bytes)`,
);
