import { constants as bufferConstants } from 'node:buffer';
import { promisify } from 'node:util';
import { crc32, inflateRaw, inflateRawSync, type ZlibOptions } from 'node:zlib';
import { LarderError } from '../core/index.js';
import { checkGzipTrailer, GZIP_TRAILER_BYTES, gzipHeaderLength } from './gzip-header.js';
import { type GzipMember, tooLarge } from './gzip-types.js';

/** Bounds of the inflate chunk size: zlib's default, and a size that need not grow further. */
const MIN_CHUNK = 16 * 1024;
const MAX_CHUNK = 8 * 1024 * 1024;
const MAX_HINTED_CHUNK = 256 * 1024 * 1024;

interface Inflated {
  readonly data: Buffer;
  readonly consumed: number;
}

interface ZlibError extends Error {
  code?: string;
}

const inflateRawAsync = promisify(inflateRaw) as unknown as (
  body: Buffer,
  options: ZlibOptions & { info: true },
) => Promise<{ buffer: Buffer; engine: { bytesWritten: number } }>;

/**
 * The member that starts at byte `offset` of `input` (member number `index`), inflated with at
 * most `budget` bytes; errors name absolute offsets. Throws as splitGzipMembers.
 * `sizeHint`, the inflated size if known (the ISIZE of a member that ends the file), lets the
 * output land in one buffer instead of chunks joined afterwards; a wrong hint costs only speed.
 */
export function gzipMemberAt(
  input: Buffer,
  offset: number,
  index: number,
  budget: number,
  sizeHint?: number,
): GzipMember {
  const headerLength = headerAt(input, offset, index);
  const bodyOffset = offset + headerLength;
  const body = input.subarray(bodyOffset);
  let inflated: Inflated;
  try {
    const result = inflateRawSync(body, inflateOptions(body, budget, sizeHint)) as unknown as {
      buffer: Buffer;
      engine: { bytesWritten: number };
    };
    inflated = { data: result.buffer, consumed: result.engine.bytesWritten };
  } catch (err) {
    throw inflateError(err, index, bodyOffset, budget);
  }
  return finish(input, offset, index, headerLength, inflated, budget);
}

/**
 * {@link gzipMemberAt} with the inflating done on libuv's thread pool, so several packages can
 * inflate at once while the main thread parses another.
 */
export async function gzipMemberAtAsync(
  input: Buffer,
  offset: number,
  index: number,
  budget: number,
  sizeHint?: number,
): Promise<GzipMember> {
  const headerLength = headerAt(input, offset, index);
  const bodyOffset = offset + headerLength;
  const body = input.subarray(bodyOffset);
  let inflated: Inflated;
  try {
    const result = await inflateRawAsync(body, inflateOptions(body, budget, sizeHint));
    inflated = { data: result.buffer, consumed: result.engine.bytesWritten };
  } catch (err) {
    throw inflateError(err, index, bodyOffset, budget);
  }
  return finish(input, offset, index, headerLength, inflated, budget);
}

function headerAt(input: Buffer, offset: number, index: number): number {
  const headerLength = gzipHeaderLength(input.subarray(offset), index, offset);
  if (headerLength === undefined) {
    throw new LarderError(
      'GZIP_TRUNCATED',
      `gzip member ${index} at byte ${offset}: input ends inside the header (at byte ${input.length})`,
    );
  }
  return headerLength;
}

// zlib's `bytesWritten` on a raw inflate is the number of input bytes the deflate stream
// used: zlib hands back whole bytes it read ahead, so this is the exact end of the body.
function inflateOptions(body: Buffer, budget: number, sizeHint: number | undefined) {
  const maxOutputLength = Math.max(1, Math.min(budget, bufferConstants.MAX_LENGTH));
  // Output chunks sized to the expected output (text inflates ~3x): with zlib's 16 KiB default,
  // a 2 MB index took ~120 chunk buffers and a final copy of them all. A hint is trusted only as
  // far as deflate can expand (~1032:1) and up to MAX_HINTED_CHUNK.
  const hinted =
    sizeHint !== undefined && sizeHint > 0 && sizeHint <= body.length * 1032 && sizeHint < MAX_HINTED_CHUNK
      ? Math.max(MIN_CHUNK, sizeHint + 1)
      : undefined;
  const chunkSize = hinted ?? Math.max(MIN_CHUNK, Math.min(body.length * 4, MAX_CHUNK));
  return { info: true as const, maxOutputLength, chunkSize };
}

function finish(
  input: Buffer,
  offset: number,
  index: number,
  headerLength: number,
  { data, consumed }: Inflated,
  budget: number,
): GzipMember {
  const bodyOffset = offset + headerLength;
  if (data.length > budget) throw tooLarge(index, bodyOffset, budget);
  const trailerOffset = bodyOffset + consumed;
  const end = trailerOffset + GZIP_TRAILER_BYTES;
  if (end > input.length) {
    throw new LarderError(
      'GZIP_TRUNCATED',
      `gzip member ${index} at byte ${offset}: input ends inside the trailer at byte ${input.length}`,
    );
  }
  const actual = { crc32: crc32(data), inflatedLength: data.length };
  const trailer = checkGzipTrailer(input.subarray(trailerOffset, end), actual, index, trailerOffset);
  return {
    index,
    offset,
    length: end - offset,
    headerLength,
    ...trailer,
    inflatedLength: data.length,
    raw: input.subarray(offset, end),
    data,
  };
}

function inflateError(err: unknown, member: number, bodyOffset: number, budget: number): unknown {
  if (err instanceof LarderError) return err;
  const code = (err as ZlibError).code;
  if (code === 'ERR_BUFFER_TOO_LARGE') return tooLarge(member, bodyOffset, budget);
  if (code === 'Z_BUF_ERROR') {
    return new LarderError(
      'GZIP_TRUNCATED',
      `gzip member ${member}: input ends inside the deflate body that starts at byte ${bodyOffset}`,
      { cause: err },
    );
  }
  return new LarderError(
    'GZIP_CORRUPT',
    `gzip member ${member}: deflate body at byte ${bodyOffset} is corrupt: ${(err as Error).message}`,
    { cause: err },
  );
}
