import { availableParallelism } from 'node:os';
import { promisify } from 'node:util';
import { constants, crc32, deflateRaw, type ZlibOptions } from 'node:zlib';
import { LarderError } from '../core/index.js';

const deflateRawAsync = promisify<Buffer, ZlibOptions, Buffer>(deflateRaw);

/** Options for {@link parallelGzip}. Level and block size fix the output bytes. */
export interface ParallelGzipOptions {
  /** zlib level 0-9; default 6 (zlib's, Go's and gzip's default). */
  readonly level?: number;
  /** Bytes of input per independently compressed block; default 1 MiB (pigz uses 128 KiB). */
  readonly blockSize?: number;
  /**
   * Blocks compressed at once; default the number of CPUs plus one, so the thread pool stays
   * busy while this thread cuts and checksums the next block. Does not change the output.
   */
  readonly concurrency?: number;
}

/** The header larder writes: no name, mtime 0, XFL 0, OS 255 (what Go writes for a zero Header). */
const GZIP_HEADER = Buffer.from('1f8b08000000000000ff', 'hex');
/** Deflate's window: a block may refer back this far into the previous block. */
const WINDOW = 32 * 1024;
const DEFAULT_BLOCK = 1024 * 1024;
// zlib hands output back in chunks of this size; each is a round trip to this thread.
const OUTPUT_CHUNK = 256 * 1024;

/**
 * Gzip compression across threads, as pigz does, giving ONE gzip member (one deflate stream).
 * The input is cut into fixed-size blocks; each block is deflated on libuv's thread pool with
 * the last 32 KiB of the previous block as its preset dictionary and ends with a sync flush
 * (byte-aligned, not final), so the raw outputs concatenate into one valid deflate stream; the
 * last block (possibly empty) is finished. CRC32 is computed here, block by block, in order.
 *
 * The bytes depend only on the input, `level` and `blockSize` (and the zlib build Node ships),
 * never on chunking of the input, timing or `concurrency`. Yields header, blocks, trailer.
 */
export async function* parallelGzip(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: ParallelGzipOptions = {},
): AsyncGenerator<Buffer> {
  const level = checkInt('level', options.level ?? 6, 0, 9);
  const blockSize = checkInt('blockSize', options.blockSize ?? DEFAULT_BLOCK, 1, 2 ** 30);
  const concurrency = checkInt('concurrency', options.concurrency ?? availableParallelism() + 1, 1, 1024);
  yield GZIP_HEADER;
  const pending: Promise<Buffer>[] = [];
  let crc = 0;
  let length = 0;
  let dictionary: Buffer | undefined;
  for await (const { block, last } of blocks(source, blockSize)) {
    crc = crc32(block, crc);
    length += block.length;
    const flush = last ? constants.Z_FINISH : constants.Z_SYNC_FLUSH;
    const job = deflateRawAsync(block, {
      level,
      finishFlush: flush,
      chunkSize: OUTPUT_CHUNK,
      ...(dictionary ? { dictionary } : {}),
    });
    // Awaited in order below; this only keeps a failure that is not awaited yet from being
    // reported as unhandled while an earlier block is awaited.
    job.catch(() => {});
    pending.push(job);
    dictionary = block.length >= WINDOW ? block.subarray(block.length - WINDOW) : undefined;
    while (pending.length >= concurrency) yield await pending.shift()!;
  }
  while (pending.length > 0) yield await pending.shift()!;
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE(length % 2 ** 32, 4);
  yield trailer;
}

/**
 * Re-cuts the input into whole blocks, then one last block holding the rest (empty when the
 * input is empty or ends on a block boundary). Blocks are fresh buffers: callers may keep them.
 */
async function* blocks(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  blockSize: number,
): AsyncGenerator<{ block: Buffer; last: boolean }> {
  let current = Buffer.allocUnsafe(blockSize);
  let filled = 0;
  for await (const chunk of source) {
    let at = 0;
    while (at < chunk.length) {
      const n = Math.min(blockSize - filled, chunk.length - at);
      current.set(chunk.subarray(at, at + n), filled);
      filled += n;
      at += n;
      if (filled === blockSize) {
        yield { block: current, last: false };
        current = Buffer.allocUnsafe(blockSize);
        filled = 0;
      }
    }
  }
  yield { block: current.subarray(0, filled), last: true };
}

function checkInt(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new LarderError('USAGE', `gzip ${name} must be an integer from ${min} to ${max}, got ${value}`);
  }
  return value;
}
