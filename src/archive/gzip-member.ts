import { constants as bufferConstants } from 'node:buffer';
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';
import { LarderError } from '../core/index.js';
import {
  checkGzipTrailer,
  DETERMINISTIC_GZIP_HEADER,
  GZIP_TRAILER_BYTES,
  gzipHeaderLength,
  gzipTrailer,
} from './gzip-header.js';

/** Where one gzip member sits in a file and what its trailer says. */
export interface GzipMemberInfo {
  /** 0 for the first member of the file. */
  readonly index: number;
  /** Byte offset of the member's first header byte in the file. */
  readonly offset: number;
  /** Compressed length: header, deflate body and the 8-byte trailer. */
  readonly length: number;
  /** Length of the gzip header alone (10 bytes plus optional fields). */
  readonly headerLength: number;
  /** CRC32 of the inflated data, as stored in (and verified against) the trailer. */
  readonly crc32: number;
  /** ISIZE from the trailer: the inflated length modulo 2^32. */
  readonly isize: number;
  /** The real inflated length. */
  readonly inflatedLength: number;
}

/** A member split out of a buffer: its exact compressed bytes and its inflated content. */
export interface GzipMember extends GzipMemberInfo {
  /** The compressed bytes, header to trailer; what APK signatures and `datahash` cover. */
  readonly raw: Buffer;
  /** The inflated content. */
  readonly data: Buffer;
}

/** Limits for reading gzip input. */
export interface GzipReadOptions {
  /**
   * Largest total number of inflated bytes over all members (a gzip-bomb guard). Exceeding it
   * throws TAR_TOO_LARGE. Default: no limit beyond what a Buffer can hold.
   */
  readonly maxInflatedBytes?: number;
  /** Stop after this many members (e.g. 1 to read just a signature member); default all. */
  readonly limit?: number;
}

/** Options for the deterministic gzip writer. */
export interface GzipWriteOptions {
  /** zlib compression level 0-9; default 6, zlib's and Go's default. */
  readonly level?: number;
}

/**
 * Splits a whole file into its gzip members (RFC 1952), verifying each trailer. Needed because
 * gunzip joins members silently while APK signatures and hashes cover single members.
 * Throws LarderError GZIP_BAD_HEADER, GZIP_TRUNCATED, GZIP_CORRUPT, GZIP_BAD_CRC or TAR_TOO_LARGE.
 */
export function splitGzipMembers(bytes: Uint8Array, options: GzipReadOptions = {}): GzipMember[] {
  const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (input.length === 0) throw new LarderError('GZIP_TRUNCATED', 'no gzip member: the input is empty');
  let budget = options.maxInflatedBytes ?? Number.POSITIVE_INFINITY;
  const members: GzipMember[] = [];
  let offset = 0;
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  while (offset < input.length && members.length < limit) {
    const member = gzipMemberAt(input, offset, members.length, budget);
    budget -= member.inflatedLength;
    members.push(member);
    offset = member.offset + member.length;
  }
  return members;
}

/**
 * The member that starts at byte `offset` of `input` (member number `index`), inflated with at
 * most `budget` bytes; errors name absolute offsets. Throws as {@link splitGzipMembers}.
 */
export function gzipMemberAt(input: Buffer, offset: number, index: number, budget: number): GzipMember {
  const headerLength = gzipHeaderLength(input.subarray(offset), index, offset);
  if (headerLength === undefined) {
    throw new LarderError(
      'GZIP_TRUNCATED',
      `gzip member ${index} at byte ${offset}: input ends inside the header (at byte ${input.length})`,
    );
  }
  const bodyOffset = offset + headerLength;
  const { data, consumed } = inflateBody(input.subarray(bodyOffset), index, bodyOffset, budget);
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

/** Bounds of the inflate chunk size: zlib's default, and a size that need not grow further. */
const MIN_CHUNK = 16 * 1024;
const MAX_CHUNK = 8 * 1024 * 1024;

interface ZlibError extends Error {
  code?: string;
}

// zlib's `bytesWritten` on a raw inflate is the number of input bytes the deflate stream
// used: zlib hands back whole bytes it read ahead, so this is the exact end of the body.
function inflateBody(
  body: Buffer,
  member: number,
  bodyOffset: number,
  budget: number,
): { data: Buffer; consumed: number } {
  const maxOutputLength = Math.max(1, Math.min(budget, bufferConstants.MAX_LENGTH));
  try {
    // Output chunks sized to the expected output (text inflates ~3x): with zlib's 16 KiB
    // default, a 2 MB index took ~120 chunk buffers and a final copy of them all.
    const chunkSize = Math.max(MIN_CHUNK, Math.min(body.length * 4, MAX_CHUNK));
    const result = inflateRawSync(body, { info: true, maxOutputLength, chunkSize }) as unknown as {
      buffer: Buffer;
      engine: { bytesWritten: number };
    };
    if (result.buffer.length > budget) throw tooLarge(member, bodyOffset, budget);
    return { data: result.buffer, consumed: result.engine.bytesWritten };
  } catch (err) {
    if (err instanceof LarderError) throw err;
    const code = (err as ZlibError).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(member, bodyOffset, budget);
    if (code === 'Z_BUF_ERROR') {
      throw new LarderError(
        'GZIP_TRUNCATED',
        `gzip member ${member}: input ends inside the deflate body that starts at byte ${bodyOffset}`,
        { cause: err },
      );
    }
    throw new LarderError(
      'GZIP_CORRUPT',
      `gzip member ${member}: deflate body at byte ${bodyOffset} is corrupt: ${(err as Error).message}`,
      { cause: err },
    );
  }
}

/** The error for a member that inflates past the caller's limit. */
export function tooLarge(member: number, bodyOffset: number, budget: number): LarderError {
  const left = Number.isFinite(budget) ? `${Math.max(0, budget)} bytes left` : 'the Buffer size limit';
  return new LarderError(
    'TAR_TOO_LARGE',
    `gzip member ${member} (body at byte ${bodyOffset}) inflates past the limit (${left} of maxInflatedBytes)`,
  );
}

/**
 * Compresses `data` as one deterministic gzip member: Go's header (mtime 0, OS 255), a raw
 * deflate body at `level`, and the CRC32 + ISIZE trailer. Same input, same bytes.
 */
export function gzipMember(data: Uint8Array, options: GzipWriteOptions = {}): Buffer {
  const body = deflateRawSync(data, { level: options.level ?? 6 });
  return Buffer.concat([DETERMINISTIC_GZIP_HEADER, body, gzipTrailer(crc32(data), data.length)]);
}
