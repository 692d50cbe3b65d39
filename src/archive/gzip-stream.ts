import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32, createDeflateRaw } from 'node:zlib';
import { LarderError } from '../core/index.js';
import {
  checkGzipTrailer,
  DETERMINISTIC_GZIP_HEADER,
  GZIP_TRAILER_BYTES,
  gzipHeaderLength,
  gzipTrailer,
} from './gzip-header.js';
import { type GzipMemberInfo, type GzipReadOptions, type GzipWriteOptions, tooLarge } from './gzip-types.js';
import { RawInflater } from './raw-inflater.js';

/**
 * Events of {@link readGzipMembers}, in input order. Every input byte appears in exactly one
 * `raw` event; `bytes` may share memory with the input chunks, so copy before keeping them.
 */
export type GzipEvent =
  | { readonly type: 'raw'; readonly member: number; readonly bytes: Buffer }
  | { readonly type: 'data'; readonly member: number; readonly bytes: Buffer }
  | { readonly type: 'end'; readonly member: number; readonly info: GzipMemberInfo };

// Input is fed to zlib in pieces of at most this size, which bounds the output of one step
// (deflate expands at most ~1032:1) and so how far maxInflatedBytes can be overshot in memory.
const FEED_BYTES = 16 * 1024;

type State = 'header' | 'body' | 'trailer';

/**
 * Streams the members of a gzip file without holding a whole member: the raw bytes of each
 * member (to hash), its inflated bytes, and an `end` event once its trailer verified. Gives
 * the same offsets as {@link splitGzipMembers} for any chunking of the input, and the same
 * errors.
 */
export async function* readGzipMembers(
  source: AsyncIterable<Uint8Array>,
  options: GzipReadOptions = {},
): AsyncGenerator<GzipEvent> {
  let budget = options.maxInflatedBytes ?? Number.POSITIVE_INFINITY;
  let state: State = 'header';
  let member = 0;
  let memberOffset = 0;
  let pos = 0; // absolute offset of the first byte of `rest`
  let pending: Buffer = Buffer.alloc(0); // header or trailer bytes seen so far
  let headerLength = 0;
  let crc = 0;
  let inflated = 0;
  let inflater: RawInflater | undefined;
  try {
    for await (const chunk of source) {
      let rest = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      while (rest.length > 0) {
        if (state === 'header') {
          const combined = pending.length > 0 ? Buffer.concat([pending, rest]) : rest;
          const length = gzipHeaderLength(combined, member, memberOffset);
          if (length === undefined) {
            // Copy: the source may reuse its chunk buffers.
            pending = Buffer.from(combined);
            pos += rest.length;
            rest = rest.subarray(rest.length);
            continue;
          }
          yield { type: 'raw', member, bytes: combined.subarray(0, length) };
          pos += length - pending.length;
          rest = combined.subarray(length);
          pending = Buffer.alloc(0);
          headerLength = length;
          crc = 0;
          inflated = 0;
          inflater = new RawInflater();
          state = 'body';
        } else if (state === 'body') {
          const piece = rest.subarray(0, FEED_BYTES);
          const step = await feed(inflater!, piece, member, pos);
          if (step.consumed > 0) yield { type: 'raw', member, bytes: piece.subarray(0, step.consumed) };
          for (const bytes of step.output) {
            crc = crc32(bytes, crc);
            inflated += bytes.length;
            if (inflated > budget) throw tooLarge(member, memberOffset + headerLength, budget);
            yield { type: 'data', member, bytes };
          }
          pos += step.consumed;
          rest = rest.subarray(step.consumed);
          if (step.consumed < piece.length) {
            inflater!.close();
            inflater = undefined;
            state = 'trailer';
          }
        } else {
          const take = rest.subarray(0, GZIP_TRAILER_BYTES - pending.length);
          pending = Buffer.concat([pending, take]);
          pos += take.length;
          rest = rest.subarray(take.length);
          if (pending.length < GZIP_TRAILER_BYTES) continue;
          const trailerOffset = pos - GZIP_TRAILER_BYTES;
          const trailer = checkGzipTrailer(
            pending,
            { crc32: crc, inflatedLength: inflated },
            member,
            trailerOffset,
          );
          yield { type: 'raw', member, bytes: pending };
          const info: GzipMemberInfo = {
            index: member,
            offset: memberOffset,
            length: pos - memberOffset,
            headerLength,
            ...trailer,
            inflatedLength: inflated,
          };
          yield { type: 'end', member, info };
          budget -= inflated;
          member += 1;
          memberOffset = pos;
          pending = Buffer.alloc(0);
          state = 'header';
        }
      }
    }
  } finally {
    inflater?.close();
  }
  if (state === 'header' && pending.length === 0) {
    if (member === 0) throw new LarderError('GZIP_TRUNCATED', 'no gzip member: the input is empty');
    return;
  }
  const part = state === 'header' ? 'header' : state === 'body' ? 'deflate body' : 'trailer';
  throw new LarderError(
    'GZIP_TRUNCATED',
    `gzip member ${member} at byte ${memberOffset}: input ends inside the ${part} at byte ${pos}`,
  );
}

async function feed(inflater: RawInflater, piece: Buffer, member: number, pos: number) {
  try {
    return await inflater.feed(piece);
  } catch (err) {
    throw new LarderError(
      'GZIP_CORRUPT',
      `gzip member ${member}: deflate body is corrupt near byte ${pos}: ${(err as Error).message}`,
      { cause: err },
    );
  }
}

/**
 * Streaming twin of {@link gzipMember}: compresses `source` into one deterministic gzip member
 * (Go's header, raw deflate at `level`, CRC32 + ISIZE trailer) without holding it in memory.
 */
export async function* gzipMemberStream(
  source: AsyncIterable<Uint8Array>,
  options: GzipWriteOptions = {},
): AsyncGenerator<Buffer> {
  let crc = 0;
  let length = 0;
  async function* counted(): AsyncGenerator<Uint8Array> {
    for await (const chunk of source) {
      crc = crc32(chunk, crc);
      length += chunk.length;
      yield chunk;
    }
  }
  const deflate = createDeflateRaw({ level: options.level ?? 6 });
  const done = pipeline(Readable.from(counted(), { objectMode: false }), deflate);
  // The pipeline's own rejection is awaited below; this keeps it from being reported as
  // unhandled while the output is still being read.
  done.catch(() => {});
  yield Buffer.from(DETERMINISTIC_GZIP_HEADER);
  for await (const bytes of deflate) yield bytes as Buffer;
  await done;
  yield gzipTrailer(crc, length);
}
