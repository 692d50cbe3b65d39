import { LarderError } from '../core/index.js';

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

/** The error for a member that inflates past the caller's limit. */
export function tooLarge(member: number, bodyOffset: number, budget: number): LarderError {
  const left = Number.isFinite(budget) ? `${Math.max(0, budget)} bytes left` : 'the Buffer size limit';
  return new LarderError(
    'TAR_TOO_LARGE',
    `gzip member ${member} (body at byte ${bodyOffset}) inflates past the limit (${left} of maxInflatedBytes)`,
  );
}
