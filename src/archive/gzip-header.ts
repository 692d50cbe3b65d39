import { crc32 } from 'node:zlib';
import { LarderError } from '../core/index.js';

// RFC 1952 header flag bits. FTEXT is only a hint and needs no handling.
const FHCRC = 0x02;
const FEXTRA = 0x04;
const FNAME = 0x08;
const FCOMMENT = 0x10;
const RESERVED_FLAGS = 0xe0;

/** Fixed part of a gzip header: magic, method, flags, mtime, XFL and OS. */
const FIXED_HEADER_BYTES = 10;

/** Length of the CRC32 + ISIZE trailer that ends every member. */
export const GZIP_TRAILER_BYTES = 8;

// FNAME and FCOMMENT are NUL-terminated with no length limit in the RFC; a header is never
// buffered past this so that a stream of non-NUL bytes cannot grow memory without bound.
const MAX_HEADER_STRING_BYTES = 64 * 1024;

/**
 * The header larder writes, byte for byte what Go's compress/gzip writes for a zero Header:
 * mtime 0, XFL 0, OS 255 (unknown). No name, so the output does not depend on file names.
 */
export const DETERMINISTIC_GZIP_HEADER: Uint8Array = Buffer.from('1f8b08000000000000ff', 'hex');

function where(member: number, offset: number): string {
  return `gzip member ${member} at byte ${offset}`;
}

/**
 * Measures the header of the member starting at `bytes[0]`: its length, or undefined when
 * `bytes` ends before the header does. Throws GZIP_BAD_HEADER as soon as a byte is wrong, so
 * garbage is reported without waiting for more input. `member`/`offset` only feed messages.
 */
export function gzipHeaderLength(bytes: Uint8Array, member: number, offset: number): number | undefined {
  const fixed: ReadonlyArray<[number, number, string]> = [
    [0, 0x1f, 'magic byte 1'],
    [1, 0x8b, 'magic byte 2'],
    [2, 0x08, 'compression method (deflate)'],
  ];
  for (const [at, expected, what] of fixed) {
    const actual = bytes[at];
    if (actual !== undefined && actual !== expected) {
      throw new LarderError(
        'GZIP_BAD_HEADER',
        `${where(member, offset)}: not a gzip member: ${what} is 0x${hex2(actual)}, expected 0x${hex2(expected)}`,
      );
    }
  }
  if (bytes.length < FIXED_HEADER_BYTES) return undefined;
  const flags = bytes[3]!;
  if ((flags & RESERVED_FLAGS) !== 0) {
    throw new LarderError(
      'GZIP_BAD_HEADER',
      `${where(member, offset)}: reserved flag bits set (0x${hex2(flags)})`,
    );
  }
  let pos = FIXED_HEADER_BYTES;
  if ((flags & FEXTRA) !== 0) {
    if (bytes.length < pos + 2) return undefined;
    pos += 2 + (bytes[pos]! | (bytes[pos + 1]! << 8));
    if (bytes.length < pos) return undefined;
  }
  for (const [flag, what] of [
    [FNAME, 'file name'],
    [FCOMMENT, 'comment'],
  ] as const) {
    if ((flags & flag) === 0) continue;
    const nul = bytes.indexOf(0, pos);
    const end = nul < 0 ? bytes.length : nul;
    if (end - pos > MAX_HEADER_STRING_BYTES) {
      throw new LarderError(
        'GZIP_BAD_HEADER',
        `${where(member, offset)}: header ${what} is longer than ${MAX_HEADER_STRING_BYTES} bytes`,
      );
    }
    if (nul < 0) return undefined;
    pos = nul + 1;
  }
  if ((flags & FHCRC) !== 0) {
    if (bytes.length < pos + 2) return undefined;
    const stored = bytes[pos]! | (bytes[pos + 1]! << 8);
    const actual = crc32(bytes.subarray(0, pos)) & 0xffff;
    if (stored !== actual) {
      throw new LarderError(
        'GZIP_BAD_CRC',
        `${where(member, offset)}: header CRC16 is 0x${stored.toString(16)}, computed 0x${actual.toString(16)}`,
      );
    }
    pos += 2;
  }
  return pos;
}

/**
 * Checks the 8-byte trailer against what was inflated. ISIZE is the length modulo 2^32, so
 * members of 4 GiB and more still verify.
 */
export function checkGzipTrailer(
  trailer: Uint8Array,
  actual: { crc32: number; inflatedLength: number },
  member: number,
  trailerOffset: number,
): { crc32: number; isize: number } {
  const view = Buffer.from(trailer.buffer, trailer.byteOffset, trailer.byteLength);
  const crc = view.readUInt32LE(0);
  const isize = view.readUInt32LE(4);
  const at = `gzip member ${member}, trailer at byte ${trailerOffset}`;
  if (crc !== actual.crc32 >>> 0) {
    throw new LarderError(
      'GZIP_BAD_CRC',
      `${at}: CRC32 expected ${hex8(crc)} (trailer), actual ${hex8(actual.crc32 >>> 0)} (inflated data)`,
    );
  }
  const actualSize = actual.inflatedLength % 2 ** 32;
  if (isize !== actualSize) {
    throw new LarderError(
      'GZIP_BAD_CRC',
      `${at}: ISIZE expected ${isize} (trailer), actual ${actualSize} (inflated ${actual.inflatedLength} bytes)`,
    );
  }
  return { crc32: crc, isize };
}

/** The trailer for `crc` and `length` inflated bytes. */
export function gzipTrailer(crc: number, length: number): Buffer {
  const out = Buffer.alloc(GZIP_TRAILER_BYTES);
  out.writeUInt32LE(crc >>> 0, 0);
  out.writeUInt32LE(length % 2 ** 32, 4);
  return out;
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}

function hex8(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}
