import { writeTar } from '../../../src/archive/index.js';
import type { LarderErrorCode } from '../../../src/core/index.js';
import { LarderError } from '../../../src/core/index.js';
import { prng } from '../../kit/prng.js';

/** Semi-compressible bytes: words with random runs, seeded. */
export function sampleBytes(length: number, seed = 1): Buffer {
  const random = prng(seed);
  const out = Buffer.alloc(length);
  let at = 0;
  while (at < length) {
    if (random() < 0.1) {
      out[at++] = Math.floor(random() * 256);
    } else {
      at += out.write(`w${Math.floor(random() * 300)} `, at, 'latin1');
    }
  }
  return out;
}

/** Concatenates an async iterable of buffers. */
export async function collect(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const part of source) parts.push(part);
  return Buffer.concat(parts);
}

/** Yields `bytes` in pieces of `size` bytes. */
export function* pieces(bytes: Uint8Array, size: number): Generator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

/** A small layer tar: `bin/`, `etc/` and `etc/hello` saying which arch it is for. */
export function helloTar(text: string): Buffer {
  return writeTar(
    [
      { entry: { name: 'bin/', type: 'directory', mode: 0o755, mtime: 0 } },
      { entry: { name: 'etc/', type: 'directory', mode: 0o755, mtime: 0 } },
      { entry: { name: 'etc/hello', type: 'file', mode: 0o644, mtime: 0 }, data: Buffer.from(`${text}\n`) },
    ],
    { endBlocks: true },
  );
}

/** Runs `fn` and returns the LarderError it throws, checking its code. */
export async function rejectsWith(fn: () => unknown, code: LarderErrorCode): Promise<LarderError> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof LarderError && err.code === code) return err;
    throw err;
  }
  throw new Error(`expected a LarderError ${code}`);
}
